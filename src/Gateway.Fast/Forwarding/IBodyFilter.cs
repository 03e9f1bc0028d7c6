using System.IO.Pipelines;
using Gateway.Fast.Errors;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// What <see cref="BodyRelay"/> does with the upstream's bytes on their way to the client: pass them
/// (<see cref="PassthroughFilter"/>), hold them until judged (the guard filters), or rewrite them (the translate filters).
/// </summary>
/// <remarks>
/// Implemented by structs and taken as a generic argument, so each call is direct (no interface call per
/// chunk). The relay feeds the usage reader the input and tees the output; a filter only turns one into the other.
/// </remarks>
internal interface IBodyFilter : IDisposable
{
    /// <summary>
    /// The output is the input, read straight into the client's buffer: the relay advances the writer instead of copying.
    /// </summary>
    bool InPlace { get; }

    /// <summary>The provider's stream carried its own error, already relayed in the output (unified API streams).</summary>
    bool UpstreamFailed { get; }

    /// <summary>Where the next upstream read lands: the client's buffer when <see cref="InPlace"/>, else the filter's pooled buffer.</summary>
    Memory<byte> ReadBuffer(PipeWriter client);

    /// <summary>
    /// The relay is about to wait for the provider's next chunk of an event stream: give back a pooled read buffer, so an
    /// idle stream holds none (the next <see cref="ReadBuffer"/> rents again).
    /// </summary>
    void ReleaseReadBuffer();

    /// <summary>One upstream chunk (the start of <see cref="ReadBuffer"/>); <paramref name="output"/> is what the client gets now.</summary>
    /// <returns><see cref="GatewayError.None"/> to go on; otherwise the verdict that ends the relay (nothing of this chunk is sent).</returns>
    GatewayError OnChunk(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output);

    /// <summary>The upstream ended normally; <paramref name="output"/> is what remains for the client.</summary>
    GatewayError OnEnd(out ReadOnlySpan<byte> output);
}
