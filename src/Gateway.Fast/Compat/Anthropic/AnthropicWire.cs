namespace Gateway.Fast.Compat.Anthropic;

/// <summary>Names and mappings the request writer and both response readers share.</summary>
internal static class AnthropicWire
{
    /// <summary>
    /// The tool that carries a <c>json_schema</c> answer. The response side recognises it by name alone (translators are
    /// stateless), so the request writer refuses a caller tool of the same name.
    /// </summary>
    public const string JsonToolName = "gateway_json_response";

    public static ReadOnlySpan<byte> JsonToolNameUtf8 => "gateway_json_response"u8;

    /// <summary>
    /// Anthropic <c>stop_reason</c> → OpenAI <c>finish_reason</c>: <c>end_turn</c>, <c>stop_sequence</c> and
    /// <c>pause_turn</c> (a server tool paused; the turn is over for this call) → <c>stop</c>; <c>max_tokens</c> and
    /// <c>model_context_window_exceeded</c> → <c>length</c>; <c>tool_use</c> → <c>tool_calls</c>, or <c>stop</c> when
    /// the only tool used was <see cref="JsonToolName"/>; <c>refusal</c> → <c>content_filter</c>.
    /// </summary>
    public static string FinishReason(ReadOnlySpan<byte> stopReason, bool hasToolCalls)
    {
        if (stopReason.SequenceEqual("tool_use"u8))
        {
            return hasToolCalls ? "tool_calls" : "stop";
        }

        if (stopReason.SequenceEqual("max_tokens"u8) || stopReason.SequenceEqual("model_context_window_exceeded"u8))
        {
            return "length";
        }

        if (stopReason.SequenceEqual("refusal"u8))
        {
            return "content_filter";
        }

        return "stop";
    }
}
