using System.Text.Json;

namespace Gateway.Fast.Accounting;

/// <summary>Reads the numbers of one captured usage object into an accumulator, through the wire format's field map.</summary>
internal static class UsageObjectParser
{
    /// <summary>
    /// Walks <paramref name="json"/> (one object) and sets each integer field the format knows, at depth 1
    /// (<c>prompt_tokens</c>) or depth 2 under its parent's name (<c>prompt_tokens_details.cached_tokens</c>).
    /// </summary>
    public static void Apply(UsageWireFormat format, ReadOnlySpan<byte> json, ref UsageAccumulator acc)
    {
        var reader = new Utf8JsonReader(json);
        ReadOnlySpan<byte> parent = default;
        int depth = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (--depth <= 1)
                        {
                            parent = default;
                        }

                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueSpan; // usage field names are never escaped
                        if (!reader.Read())
                        {
                            return;
                        }

                        if (reader.TokenType == JsonTokenType.Number)
                        {
                            if (depth <= 2 && reader.TryGetInt32(out int value) && value >= 0)
                            {
                                var slot = Map(format, depth == 1 ? default : parent, name);
                                if (slot != UsageSlot.None)
                                {
                                    acc.Set(slot, value);
                                }
                            }
                        }
                        else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            depth++;
                            if (depth == 2)
                            {
                                parent = reader.TokenType == JsonTokenType.StartObject ? name : "[]"u8;
                            }
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A capture that is not JSON (a truncated or odd body): the fields read before it stand.
        }
    }

    private static UsageSlot Map(UsageWireFormat format, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> name) => format switch
    {
        UsageWireFormat.Anthropic => AnthropicUsage.Map(parent, name),
        UsageWireFormat.Gemini => GeminiUsage.Map(parent, name),
        UsageWireFormat.BedrockConverse or UsageWireFormat.BedrockEventStream => BedrockUsage.Map(parent, name),
        UsageWireFormat.WorkersAi => WorkersAiUsage.Map(parent, name),
        UsageWireFormat.Cohere => CohereUsage.Map(parent, name),
        _ => OpenAIUsage.Map(parent, name),
    };

    public static Usage ToUsage(UsageWireFormat format, in UsageAccumulator acc) => format switch
    {
        UsageWireFormat.None => default,
        UsageWireFormat.Anthropic => AnthropicUsage.ToUsage(acc),
        UsageWireFormat.Gemini => GeminiUsage.ToUsage(acc),
        UsageWireFormat.BedrockConverse or UsageWireFormat.BedrockEventStream => BedrockUsage.ToUsage(acc),
        UsageWireFormat.WorkersAi => WorkersAiUsage.ToUsage(acc),
        UsageWireFormat.Cohere => CohereUsage.ToUsage(acc),
        _ => OpenAIUsage.ToUsage(acc),
    };
}
