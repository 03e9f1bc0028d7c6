namespace Capacity.Model;

/// <summary>C requests always in flight (each client sends its next when the last answers) for a fixed time.</summary>
internal sealed class ClosedStep
{
    public required int Concurrency { get; init; }

    public required double Seconds { get; init; }

    public required long Ok { get; init; }

    public required long Errors { get; init; }

    public required double Rps { get; init; }

    public required Latency Latency { get; init; }

    /// <summary>CPU time of the target's process (user + system) divided by the requests answered; null when none were.</summary>
    public required double? CpuUsPerRequest { get; init; }
}
