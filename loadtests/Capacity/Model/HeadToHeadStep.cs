namespace Capacity.Model;

/// <summary>
/// One step of the head-to-head rounds: one target, plain requests or streams, at one concurrency, in one round. The rounds
/// alternate the targets step by step, so each target's figure is a median over moments shared with the others.
/// </summary>
internal sealed class HeadToHeadStep
{
    public required string Target { get; init; }

    /// <summary><see cref="Plain"/> (a whole JSON answer) or <see cref="Stream"/> (an unpaced SSE stream read to its end).</summary>
    public required string Kind { get; init; }

    public required int Concurrency { get; init; }

    public required int Round { get; init; }

    public required double Seconds { get; init; }

    public required long Ok { get; init; }

    public required long Errors { get; init; }

    /// <summary>Requests (or streams) answered per second.</summary>
    public required double Rps { get; init; }

    /// <summary>Send to the last body byte for plain requests; send to the first body byte (the first event) for streams.</summary>
    public required Latency Latency { get; init; }

    /// <summary>CPU time of the target's process (user + system) per request or stream answered.</summary>
    public required double? CpuUsPerRequest { get; init; }

    public const string Plain = "plain";
    public const string Stream = "stream";
}
