using System.Buffers;

namespace Gateway.Fast.Compat;

/// <summary>The answer side of an <see cref="IEmbeddingsTranslator"/> for one request (which may ask for base64 vectors).</summary>
/// <remarks>Embeddings never stream: a provider that answers one with an event stream is a broken upstream (502).</remarks>
internal sealed class EmbeddingsResponse(IEmbeddingsTranslator translator, bool base64) : ICompatResponseTranslator
{
    public Accounting.Usage WriteResponse(ReadOnlySpan<byte> native, in CompatResponseInfo info, IBufferWriter<byte> output) =>
        translator.WriteResponse(native, info.Model, base64, output);

    public IChatStreamTranslator CreateStream(in CompatResponseInfo info) =>
        throw new HttpRequestException("The provider answered an embeddings request with an event stream.");

    public string? ReadErrorMessage(ReadOnlySpan<byte> native) => translator.ReadErrorMessage(native);
}
