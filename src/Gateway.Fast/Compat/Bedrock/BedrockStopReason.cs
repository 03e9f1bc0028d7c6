namespace Gateway.Fast.Compat.Bedrock;

/// <summary>Converse <c>stopReason</c> → OpenAI <c>finish_reason</c>.</summary>
internal static class BedrockStopReason
{
    /// <summary>
    /// end_turn, stop_sequence → stop; max_tokens, model_context_window_exceeded → length; tool_use → tool_calls;
    /// guardrail_intervened, content_filtered → content_filter; anything newer → stop.
    /// </summary>
    public static string ToFinishReason(ReadOnlySpan<byte> stopReason)
    {
        if (stopReason.SequenceEqual("tool_use"u8))
        {
            return "tool_calls";
        }

        if (stopReason.SequenceEqual("max_tokens"u8) || stopReason.SequenceEqual("model_context_window_exceeded"u8))
        {
            return "length";
        }

        if (stopReason.SequenceEqual("guardrail_intervened"u8) || stopReason.SequenceEqual("content_filtered"u8))
        {
            return "content_filter";
        }

        return "stop";
    }
}
