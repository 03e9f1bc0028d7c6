namespace Capacity.Model;

/// <summary>Every step measured against one target: the closed-loop sweep, then the open-loop rates.</summary>
internal sealed class TargetResult
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>The process whose CPU time is charged to this target (the simulator for direct).</summary>
    public required string Process { get; init; }

    public List<ClosedStep> Closed { get; init; } = [];

    public List<OpenStep> Open { get; init; } = [];

    /// <summary>Stream time to first byte at a few concurrency levels; empty for targets not asked for it.</summary>
    public List<TtfbStep> StreamTtfb { get; init; } = [];
}
