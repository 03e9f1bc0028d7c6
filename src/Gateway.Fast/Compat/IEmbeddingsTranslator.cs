using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>
/// Turns OpenAI <c>/embeddings</c> requests into one provider's native embeddings API and its answers back
/// (<c>/compat/embeddings</c>). One stateless instance per provider family, like <see cref="IChatTranslator"/>.
/// </summary>
/// <remarks>
/// The caller's request is <c>{model, input: string | string[], dimensions?, encoding_format?}</c>; the compat stage
/// parses it once, strips the <c>{provider}/</c> prefix from <c>model</c> and calls <see cref="WriteRequest"/>. A 2xx
/// native body goes to <see cref="WriteResponse"/>, which writes OpenAI's
/// <c>{"object":"list","data":[{"object":"embedding","index":i,"embedding":[…] | "base64"}],"model","usage":{"prompt_tokens","total_tokens"}}</c>
/// through <see cref="OpenAIEmbeddingsWriter"/>; any other status goes to <see cref="ReadErrorMessage"/>.
/// </remarks>
internal interface IEmbeddingsTranslator
{
    /// <summary>
    /// Writes the native body for <paramref name="root"/> (the caller's request object) and the path under the
    /// provider's base URL. Returns null, or a message that says what cannot be expressed (the caller gets 400).
    /// Token-array inputs (<c>[1, 2, 3]</c>) are refused by every provider that takes only text.
    /// </summary>
    /// <param name="root">The caller's request object.</param>
    /// <param name="model">The native model id, without its <c>{provider}/</c> prefix.</param>
    /// <param name="body">Receives the native JSON body.</param>
    /// <param name="upstreamPath">The path under the provider's base URL, e.g. <c>v2/embed</c>.</param>
    string? WriteRequest(JsonElement root, string model, IBufferWriter<byte> body, out string upstreamPath);

    /// <summary>Translates a complete 2xx native body.</summary>
    /// <param name="native">The provider's 2xx body.</param>
    /// <param name="model">The model string the caller sent (with its provider prefix).</param>
    /// <param name="base64">The caller asked for <c>encoding_format: "base64"</c> (little-endian float32, as OpenAI sends it).</param>
    /// <param name="output">Receives the OpenAI list.</param>
    /// <returns>The usage the body reported, for the log row (<see cref="Accounting.Usage.Found"/> false when none).</returns>
    Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, string model, bool base64, IBufferWriter<byte> output);

    /// <summary>The human-readable message of the provider's error body, or null when there is none to read.</summary>
    string? ReadErrorMessage(ReadOnlySpan<byte> native);
}
