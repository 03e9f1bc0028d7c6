namespace Capacity.Model;

/// <summary>
/// C streams always in flight (closed loop, unpaced): how long each took from the request's send to the first byte of its
/// body (the first event), and to its last.
/// </summary>
internal sealed class TtfbStep
{
    public required int Concurrency { get; init; }

    public required double Seconds { get; init; }

    public required long Ok { get; init; }

    public required long Errors { get; init; }

    /// <summary>Send to the first body byte.</summary>
    public required Latency Ttfb { get; init; }

    /// <summary>Send to the end of the stream (<c>data: [DONE]</c> and the body's end).</summary>
    public required Latency Ttlb { get; init; }
}
