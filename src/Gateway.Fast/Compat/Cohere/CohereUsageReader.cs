using System.Text.Json;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>Reads Cohere's <c>usage</c> object: <c>tokens</c> (what the model processed) before <c>billed_units</c>, plus <c>cached_tokens</c>.</summary>
/// <remarks>
/// This is the usage the caller sees in the OpenAI-shaped reply. <see cref="Accounting.CohereUsage"/> reads the same
/// object for the log and the cost, and there billed units win, since they are what Cohere charges for.
/// </remarks>
internal static class CohereUsageReader
{
    /// <summary>Reads the usage object the reader stands on (its StartObject) to its end.</summary>
    public static ChatUsage Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return default;
        }

        long input = -1, output = -1, billedInput = 0, billedOutput = 0, cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool tokens = reader.ValueTextEquals("tokens"u8);
            bool billed = reader.ValueTextEquals("billed_units"u8);
            bool isCached = reader.ValueTextEquals("cached_tokens"u8);
            reader.Read();
            if (isCached && reader.TokenType == JsonTokenType.Number)
            {
                cached = reader.TryGetInt64(out long whole) ? whole : (long)reader.GetDouble(); // 12.0 as well as 12
            }
            else if (tokens)
            {
                ReadPair(ref reader, ref input, ref output);
            }
            else if (billed)
            {
                ReadPair(ref reader, ref billedInput, ref billedOutput);
            }
            else
            {
                reader.Skip();
            }
        }

        return new ChatUsage(input < 0 ? billedInput : input, output < 0 ? billedOutput : output, cached);
    }

    private static void ReadPair(ref Utf8JsonReader reader, ref long input, ref long output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isInput = reader.ValueTextEquals("input_tokens"u8);
            bool isOutput = reader.ValueTextEquals("output_tokens"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (isInput)
                {
                    input = (long)reader.GetDouble();
                }
                else if (isOutput)
                {
                    output = (long)reader.GetDouble();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
