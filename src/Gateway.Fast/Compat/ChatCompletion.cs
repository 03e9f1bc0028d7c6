namespace Gateway.Fast.Compat;

/// <summary>A whole (non-streamed) answer in OpenAI's terms, filled by a translator from the provider's body and written by <see cref="ChatCompletionWriter"/>.</summary>
internal sealed class ChatCompletion
{
    /// <summary>The assistant text, or null when the answer is tool calls only.</summary>
    public string? Content { get; set; }

    /// <summary>Thinking text, where the provider returns it (written as <c>reasoning_content</c>).</summary>
    public string? Reasoning { get; set; }

    public List<ChatToolCall> ToolCalls { get; } = [];

    /// <summary><c>stop</c>, <c>length</c>, <c>tool_calls</c> or <c>content_filter</c>.</summary>
    public string FinishReason { get; set; } = "stop";

    public ChatUsage Usage { get; set; }
}

/// <summary>One tool call: <paramref name="ArgumentsJson"/> is the arguments object as JSON text (OpenAI sends it as a string).</summary>
internal sealed record ChatToolCall(string Id, string Name, string ArgumentsJson);
