namespace Capacity.Model;

/// <summary>Requests sent at a constant rate whatever the answers do; latency counts from each request's intended send time.</summary>
internal sealed class OpenStep
{
    public required double OfferedRps { get; init; }

    public required double AchievedRps { get; init; }

    public required double Seconds { get; init; }

    public required long Ok { get; init; }

    /// <summary>Failed requests, those still unanswered when the step's drain ended, and those not sent because too many were in flight.</summary>
    public required long Errors { get; init; }

    public required Latency Latency { get; init; }

    public required double? CpuUsPerRequest { get; init; }
}
