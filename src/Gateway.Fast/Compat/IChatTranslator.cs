using System.Buffers;

namespace Gateway.Fast.Compat;

/// <summary>
/// Turns OpenAI chat completions into one provider's native API and its answers back (the unified API, docs/gateway-api.md#unified-api).
/// One stateless instance per provider family; per-request state lives in the <see cref="IChatStreamTranslator"/>.
/// </summary>
/// <remarks>
/// The compat stage parses the caller's body once (<see cref="CompatChatRequest.Root"/>), strips the <c>{provider}/</c>
/// prefix from <c>model</c>, asks <see cref="WriteRequest"/> for the native body and path, sends it through the same
/// attempt runner as passthrough, and then hands the upstream's bytes to <see cref="ICompatResponseTranslator.WriteResponse"/> (a complete 2xx
/// JSON body), to a stream translator (a 2xx event stream, chunk by chunk as it arrives) or to
/// <see cref="ICompatResponseTranslator.ReadErrorMessage"/> (any other status: the caller gets OpenAI's error shape with the upstream status).
/// </remarks>
internal interface IChatTranslator : ICompatResponseTranslator
{
    /// <summary>
    /// Writes the native request body for <paramref name="request"/> into <paramref name="body"/>, and the path under
    /// the provider's base URL (for example <c>v1/messages</c>, <c>v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse</c>,
    /// <c>model/amazon.nova-pro-v1:0/converse-stream</c>). Returns null, or a message that says what in the caller's
    /// request cannot be expressed (the caller gets 400, code 2019).
    /// </summary>
    string? WriteRequest(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath);

    /// <summary>Headers the provider needs besides the credential, e.g. <c>anthropic-version</c>; empty for most.</summary>
    IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; }

}

/// <summary>The answer side of a translator: what the relay needs to turn the provider's bytes into OpenAI's.</summary>
internal interface ICompatResponseTranslator
{
    /// <summary>
    /// Translates a complete 2xx response body into the OpenAI object (<c>chat.completion</c>, or an embeddings list);
    /// returns the usage the body reported, read once for both the caller's <c>usage</c> and the log row.
    /// </summary>
    Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, in CompatResponseInfo info, IBufferWriter<byte> output);

    /// <summary>A translator for one streamed response (SSE or AWS event-stream in, OpenAI SSE chunks out).</summary>
    IChatStreamTranslator CreateStream(in CompatResponseInfo info);

    /// <summary>The human-readable message of the provider's error body, or null when there is none to read.</summary>
    string? ReadErrorMessage(ReadOnlySpan<byte> native);
}

/// <summary>
/// One streamed response, translated incrementally: bytes arrive split anywhere (mid-line, mid-frame, mid-UTF-8
/// sequence) and every complete native event is written as OpenAI chunks at once, never held to the end.
/// </summary>
internal interface IChatStreamTranslator : IDisposable
{
    /// <summary>The next bytes of the native stream; writes the OpenAI SSE events they complete (<c>data: {…}\n\n</c>).</summary>
    void Write(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output);

    /// <summary>
    /// The upstream ended normally: writes what remains: the finish chunk if the provider's stream did not yield one,
    /// a usage chunk when <see cref="CompatResponseInfo.IncludeUsage"/>, then <c>data: [DONE]\n\n</c>.
    /// </summary>
    void Complete(IBufferWriter<byte> output);

    /// <summary>The provider's stream carried an error (an error event or exception frame): the answer is not a success.</summary>
    bool UpstreamFailed => false;

    /// <summary>
    /// The usage the stream has reported so far, for the log row: the same reading the caller's usage chunk comes from
    /// (<see cref="TranslatedUsage"/>), so a translated stream has one usage figure. Readable after <see cref="IDisposable.Dispose"/>.
    /// </summary>
    Accounting.Usage Usage { get; }
}
