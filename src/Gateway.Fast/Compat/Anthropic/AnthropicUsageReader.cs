using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>Reads an Anthropic <c>usage</c> object, overwriting only the counts it carries.</summary>
/// <remarks>
/// Streams report usage twice: <c>message_start</c> has the prompt side, and the final <c>message_delta</c> has the
/// output and, in current API versions, the whole set again. The prompt-cache recording shows that
/// <c>message_start</c>'s cache counts can be wrong (0 cache reads, 6289 in the delta), so later values win; a delta
/// that carries only <c>output_tokens</c> (older recordings) leaves the prompt side from <c>message_start</c>.
/// </remarks>
internal static class AnthropicUsageReader
{
    /// <summary>The reader stands on the value after <c>"usage":</c>; it ends on that value's last token.</summary>
    public static void Read(ref Utf8JsonReader reader, ref long input, ref long output, ref long cacheRead, ref long cacheCreation)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref long target = ref input;
            bool known = true;
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                target = ref input;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                target = ref output;
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                target = ref cacheRead;
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                target = ref cacheCreation;
            }
            else
            {
                known = false;
            }

            reader.Read();
            if (known && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value))
            {
                target = value;
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
