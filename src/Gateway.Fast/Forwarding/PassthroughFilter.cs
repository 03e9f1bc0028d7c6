using System.IO.Pipelines;
using Gateway.Fast.Errors;

namespace Gateway.Fast.Forwarding;

/// <summary>The identity filter: the upstream's bytes are read straight into the client's buffer and sent as they are.</summary>
internal struct PassthroughFilter : IBodyFilter
{
    public readonly bool InPlace => true;

    public readonly bool UpstreamFailed => false;

    public readonly Memory<byte> ReadBuffer(PipeWriter client) => client.GetMemory();

    /// <summary>Nothing is held: the client's memory is only taken by <see cref="ReadBuffer"/>, after the wait.</summary>
    public readonly void ReleaseReadBuffer()
    {
    }

    public readonly GatewayError OnChunk(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output)
    {
        output = input;
        return GatewayError.None;
    }

    public readonly GatewayError OnEnd(out ReadOnlySpan<byte> output)
    {
        output = default;
        return GatewayError.None;
    }

    public readonly void Dispose()
    {
    }
}
