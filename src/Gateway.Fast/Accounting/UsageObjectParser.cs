using System.Text.Json;

namespace Gateway.Fast.Accounting;

/// <summary>
/// Reads the numbers of one usage object into an accumulator, through the wire format's field map: the one usage
/// reader per provider, used by the passthrough scanner (on a captured object) and by the translators (on the object
/// their own reader stands on), so a provider's usage is understood in one place.
/// </summary>
internal static class UsageObjectParser
{
    /// <summary>Reads a captured usage object (<paramref name="json"/> is the whole object).</summary>
    public static void Apply(UsageWireFormat format, ReadOnlySpan<byte> json, ref UsageAccumulator acc)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (reader.Read())
            {
                Read(format, ref reader, ref acc);
            }
        }
        catch (JsonException)
        {
            // A capture that is not JSON (a truncated or odd body): the fields read before it stand.
        }
    }

    /// <summary>
    /// Reads the usage object <paramref name="reader"/> stands on (its <see cref="JsonTokenType.StartObject"/>) and
    /// leaves the reader on its matching end; any other value is skipped. Each integer field the format knows is set,
    /// at depth 1 (<c>prompt_tokens</c>) or at depth 2 under its parent's name (<c>prompt_tokens_details.cached_tokens</c>);
    /// later objects overwrite only the fields they carry (<see cref="UsageAccumulator"/>).
    /// </summary>
    public static void Read(UsageWireFormat format, ref Utf8JsonReader reader, ref UsageAccumulator acc)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        int top = reader.CurrentDepth;
        ReadOnlySpan<byte> parent = default;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.EndObject when reader.CurrentDepth == top:
                    return;
                case JsonTokenType.EndObject or JsonTokenType.EndArray when reader.CurrentDepth == top + 1:
                    parent = default;
                    break;
                case JsonTokenType.PropertyName:
                    int depth = reader.CurrentDepth - top; // 1 for the object's own fields
                    var name = reader.ValueSpan; // usage field names are never escaped
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        if (depth <= 2 && TryGetCount(ref reader, out int value))
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
                        if (depth == 1)
                        {
                            parent = reader.TokenType == JsonTokenType.StartObject ? name : "[]"u8;
                        }
                        else
                        {
                            reader.Skip(); // deeper objects split the same figures (per modality, per cache tier)
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>A non-negative count; <c>12.0</c> counts as 12 (Cohere writes some counts as floats).</summary>
    private static bool TryGetCount(ref Utf8JsonReader reader, out int value)
    {
        if (reader.TryGetInt32(out value))
        {
            return value >= 0;
        }

        if (reader.TryGetDouble(out double number) && number >= 0 && number <= int.MaxValue && number == Math.Floor(number))
        {
            value = (int)number;
            return true;
        }

        return false;
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

    /// <summary>The figures for the log row and the cost.</summary>
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

    /// <summary>
    /// The figures a translated answer shows the caller (OpenAI's <c>usage</c>): the same as <see cref="ToUsage"/> but
    /// for Cohere, whose caller sees the tokens the model processed while the log and cost take the billed units.
    /// </summary>
    public static Usage ToProcessedUsage(UsageWireFormat format, in UsageAccumulator acc) =>
        format == UsageWireFormat.Cohere ? CohereUsage.ToProcessedUsage(acc) : ToUsage(format, acc);
}
