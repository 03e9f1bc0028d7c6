using System.Buffers;
using System.IO.Pipelines;
using Gateway.Fast.Compat;
using Gateway.Fast.Errors;
using Gateway.Fast.Guardrails;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// A provider's event stream rewritten as OpenAI's SSE as it arrives (unified API); when the gateway checks responses,
/// the translated words are judged, as the caller reads them. The translator's usage reading goes to the log row when
/// the relay ends, however it ends (a stream cut halfway keeps what it reported so far).
/// </summary>
internal struct TranslatedStreamFilter(IChatStreamTranslator translator, GuardState? guard, Accounting.UsageReader usage) : IBodyFilter
{
    /// <summary>Reused for every chunk; 4 KiB holds the events one read of a provider's stream completes.</summary>
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private PooledReadBuffer _input;

    public readonly bool InPlace => false;

    public readonly bool UpstreamFailed => translator.UpstreamFailed;

    public Memory<byte> ReadBuffer(PipeWriter client) => _input.Memory;

    public void ReleaseReadBuffer() => _input.Return();

    public readonly GatewayError OnChunk(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output)
    {
        _output.ResetWrittenCount();
        translator.Write(input, _output);
        output = _output.WrittenSpan;
        return guard is null ? GatewayError.None : ProxyForwarder.Judge(guard, guard.Extractor!.FeedSse(output, guard.Scanner!));
    }

    public readonly GatewayError OnEnd(out ReadOnlySpan<byte> output)
    {
        _output.ResetWrittenCount();
        translator.Complete(_output);
        output = _output.WrittenSpan;
        if (guard is null)
        {
            return GatewayError.None;
        }

        guard.Extractor!.FeedSse(output, guard.Scanner!);
        return ProxyForwarder.Judge(guard, guard.Extractor.CompleteSse(guard.Scanner!));
    }

    public void Dispose()
    {
        usage.Report(translator.Usage);
        translator.Dispose();
        _input.Return();
    }
}
