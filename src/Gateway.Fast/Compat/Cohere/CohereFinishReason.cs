namespace Gateway.Fast.Compat.Cohere;

/// <summary>Cohere v2's <c>finish_reason</c> in OpenAI's terms.</summary>
internal static class CohereFinishReason
{
    /// <summary>
    /// COMPLETE, STOP_SEQUENCE → <c>stop</c>; MAX_TOKENS → <c>length</c>; TOOL_CALL → <c>tool_calls</c>; ERROR_TOXIC →
    /// <c>content_filter</c>; ERROR, TIMEOUT, USER_CANCEL and anything new → <c>stop</c>, the nearest OpenAI has.
    /// </summary>
    public static string ToOpenAI(ReadOnlySpan<byte> reason, bool calledTools)
    {
        if (reason.SequenceEqual("MAX_TOKENS"u8))
        {
            return "length";
        }

        if (reason.SequenceEqual("TOOL_CALL"u8))
        {
            return "tool_calls";
        }

        if (reason.SequenceEqual("ERROR_TOXIC"u8))
        {
            return "content_filter";
        }

        return calledTools && !reason.SequenceEqual("STOP_SEQUENCE"u8) ? "tool_calls" : "stop";
    }
}
