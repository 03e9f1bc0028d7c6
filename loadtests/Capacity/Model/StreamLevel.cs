namespace Capacity.Model;

/// <summary>One level of the streams-at-scale scenario: N streams opened, held together, then read to their end.</summary>
internal sealed class StreamLevel
{
    public required int Streams { get; init; }

    /// <summary>The most streams open at one moment (headers received, end not yet read).</summary>
    public required int MaxOpen { get; init; }

    /// <summary>Streams that ended in <c>[DONE]</c> with every expected event.</summary>
    public required int Complete { get; init; }

    public required int Failed { get; init; }

    public string? FirstError { get; init; }

    public required long EventsExpected { get; init; }

    public required long EventsDelivered { get; init; }

    /// <summary>The longest silence between two events of any stream, after its first event.</summary>
    public required double MaxStallMs { get; init; }

    /// <summary>The 99th percentile of each stream's own longest silence.</summary>
    public required double P99StallMs { get; init; }

    public required double RssBeforeMib { get; init; }

    /// <summary>The largest RSS sampled while (nearly) all streams were open.</summary>
    public required double RssHeldMib { get; init; }

    /// <summary>The largest RSS sampled from the first open to two seconds after the last stream ended.</summary>
    public required double RssPeakMib { get; init; }

    /// <summary>The target's managed heap after its last collection before the level, from its <c>/health</c> (null without one).</summary>
    public double? HeapBeforeMib { get; init; }

    /// <summary>The largest managed heap (after a collection) reported while (nearly) all streams were open.</summary>
    public double? HeapHeldMib { get; init; }

    /// <summary>(held − before) / most open, in KiB, for the managed heap.</summary>
    public double? HeapKibPerStream { get; init; }

    /// <summary>The level ran against processes started afresh for it, not the ones the previous level left.</summary>
    public bool FreshProcess { get; init; }

    /// <summary>(held − before) / most open: what one held stream costs the target.</summary>
    public required double KibPerStream { get; init; }

    public required double Seconds { get; init; }

    /// <summary>CPU seconds (user + system) the target's process used from the first open to the last stream's end.</summary>
    public double? TargetCpuSeconds { get; init; }

    /// <summary>The same for the target's upstream (the simulator), when it is another process.</summary>
    public double? UpstreamCpuSeconds { get; init; }

    /// <summary>The same for the load client (this tool): with the others, it tells which process the cores went to.</summary>
    public double? ClientCpuSeconds { get; init; }

    /// <summary>CPU seconds every process on the machine used meanwhile: beyond the three above, other work took the cores.</summary>
    public double? MachineCpuSeconds { get; init; }
}
