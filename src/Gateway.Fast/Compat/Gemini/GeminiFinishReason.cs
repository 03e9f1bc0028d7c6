namespace Gateway.Fast.Compat.Gemini;

/// <summary>Gemini's <c>finishReason</c> in OpenAI's terms.</summary>
internal static class GeminiFinishReason
{
    /// <summary>
    /// <c>STOP</c> → <c>stop</c> (<c>tool_calls</c> when the answer called functions: Gemini says STOP for those too),
    /// <c>MAX_TOKENS</c> → <c>length</c>, the safety family → <c>content_filter</c>, anything else (OTHER,
    /// MALFORMED_FUNCTION_CALL, LANGUAGE, …) → <c>stop</c>, the nearest OpenAI has.
    /// </summary>
    public static string ToOpenAI(ReadOnlySpan<byte> reason, bool calledFunctions)
    {
        if (reason.SequenceEqual("MAX_TOKENS"u8))
        {
            return "length";
        }

        if (reason.SequenceEqual("SAFETY"u8) || reason.SequenceEqual("RECITATION"u8) || reason.SequenceEqual("BLOCKLIST"u8)
            || reason.SequenceEqual("PROHIBITED_CONTENT"u8) || reason.SequenceEqual("SPII"u8) || reason.SequenceEqual("IMAGE_SAFETY"u8))
        {
            return "content_filter";
        }

        return calledFunctions ? "tool_calls" : "stop";
    }
}
