using System.Text.Json;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>Reads Converse's <c>usage</c> object into OpenAI's terms.</summary>
/// <remarks>
/// Converse counts cache reads and writes apart from <c>inputTokens</c>, as Anthropic does; OpenAI's
/// <c>prompt_tokens</c> includes cached tokens, so prompt = input + cacheRead + cacheWrite and cached = cacheRead.
/// Newer bodies carry <c>cacheReadInputTokens</c> and the older <c>cacheReadInputTokenCount</c> side by side with the
/// same value; either is taken.
/// </remarks>
internal static class BedrockUsageReader
{
    /// <summary>Reads the object the reader stands on (its <see cref="JsonTokenType.StartObject"/>) and leaves it on the matching end.</summary>
    public static ChatUsage Read(ref Utf8JsonReader reader)
    {
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        int depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }

            int field = reader.ValueTextEquals("inputTokens"u8) ? 1
                : reader.ValueTextEquals("outputTokens"u8) ? 2
                : reader.ValueTextEquals("cacheReadInputTokens"u8) || reader.ValueTextEquals("cacheReadInputTokenCount"u8) ? 3
                : reader.ValueTextEquals("cacheWriteInputTokens"u8) || reader.ValueTextEquals("cacheWriteInputTokenCount"u8) ? 4
                : 0;
            reader.Read();
            if (field == 0 || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value))
            {
                reader.Skip();
                continue;
            }

            switch (field)
            {
                case 1: input = value; break;
                case 2: output = value; break;
                case 3: cacheRead = value; break;
                default: cacheWrite = value; break;
            }
        }

        return new ChatUsage(input + cacheRead + cacheWrite, output, cacheRead);
    }
}
