using System.IO.Pipelines;
using Gateway.Fast.Errors;
using Gateway.Fast.Guardrails;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// An event stream that response guardrails or DLP judge: each chunk is judged before it is sent, and a BLOCK withholds that
/// chunk and ends the relay (text already sent stays sent).
/// </summary>
internal struct GuardedStreamFilter(GuardState guard) : IBodyFilter
{
    private PooledReadBuffer _input;

    public readonly bool InPlace => false;

    public readonly bool UpstreamFailed => false;

    public Memory<byte> ReadBuffer(PipeWriter client) => _input.Memory;

    public void ReleaseReadBuffer() => _input.Return();

    public readonly GatewayError OnChunk(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output)
    {
        output = input;
        return ProxyForwarder.Judge(guard, guard.Extractor!.FeedSse(input, guard.Scanner!));
    }

    public readonly GatewayError OnEnd(out ReadOnlySpan<byte> output)
    {
        output = default;
        return ProxyForwarder.Judge(guard, guard.Extractor!.CompleteSse(guard.Scanner!));
    }

    public void Dispose() => _input.Return();
}
