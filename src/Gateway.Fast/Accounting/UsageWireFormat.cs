namespace Gateway.Fast.Accounting;

/// <summary>Which response shape carries the usage figures; picked once per response by <see cref="UsageFormatSelector"/>.</summary>
public enum UsageWireFormat : byte
{
    /// <summary>No known usage shape (audio, images, unknown providers): the reader ignores the bytes.</summary>
    None,

    /// <summary>OpenAI and compatible: Chat Completions, legacy Completions, Responses API; JSON or SSE.</summary>
    OpenAI,

    /// <summary>Anthropic Messages: JSON, or SSE <c>message_start</c> + <c>message_delta</c>.</summary>
    Anthropic,

    /// <summary>Gemini <c>usageMetadata</c>: JSON, SSE (<c>alt=sse</c>) or the streamed JSON array.</summary>
    Gemini,

    /// <summary>Bedrock Converse JSON body.</summary>
    BedrockConverse,

    /// <summary>Bedrock ConverseStream: AWS event-stream binary frames; usage in the <c>metadata</c> event.</summary>
    BedrockEventStream,

    /// <summary>Workers AI <c>/run</c>: <c>result.usage</c>, or a final SSE event with <c>usage</c>.</summary>
    WorkersAi,

    /// <summary>Cohere v2 <c>usage</c> (<c>billed_units</c>, <c>tokens</c>) and v1 <c>meta</c>.</summary>
    Cohere,
}
