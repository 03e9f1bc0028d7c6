namespace Gateway.Fast.Compat;

/// <summary>A whole (non-streamed) answer in OpenAI's terms, filled by a translator from the provider's body and written by <see cref="ChatCompletionWriter"/>.</summary>
/// <param name="usageFormat">The provider's usage shape: <see cref="Usage"/> is read with that provider's usage reader.</param>
internal sealed class ChatCompletion(Accounting.UsageWireFormat usageFormat)
{
    /// <summary>The assistant text, or null when the answer is tool calls only.</summary>
    public string? Content { get; set; }

    /// <summary>Thinking text, where the provider returns it (written as <c>reasoning_content</c>).</summary>
    public string? Reasoning { get; set; }

    public List<ChatToolCall> ToolCalls { get; } = [];

    /// <summary><c>stop</c>, <c>length</c>, <c>tool_calls</c> or <c>content_filter</c>.</summary>
    public string FinishReason { get; set; } = "stop";

    /// <summary>The answer's usage, read once: the caller's <c>usage</c> and the log row's figures (a field, read into in place).</summary>
    public TranslatedUsage Usage = new(usageFormat);
}

/// <summary>One tool call: <paramref name="ArgumentsJson"/> is the arguments object as JSON text (OpenAI sends it as a string).</summary>
internal sealed record ChatToolCall(string Id, string Name, string ArgumentsJson);
