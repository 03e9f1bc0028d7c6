namespace Capacity.Model;

/// <summary>The plan a run followed, so a reader can tell how long each figure was measured for.</summary>
internal sealed class RunSettings
{
    public required int[] Concurrency { get; init; }

    public required double ClosedStepSeconds { get; init; }

    /// <summary>Open-loop rates as fractions of the target's best closed-loop RPS.</summary>
    public required double[] OpenFractions { get; init; }

    public required double OpenStepSeconds { get; init; }

    /// <summary>Streams in flight for the time-to-first-byte steps (absent in runs made before they were measured).</summary>
    public int[] TtfbConcurrency { get; init; } = [];

    public double TtfbStepSeconds { get; init; }

    /// <summary>Rounds of the alternated head-to-head steps (0 in runs made before they were measured).</summary>
    public int HeadToHeadRounds { get; init; }

    public double HeadToHeadStepSeconds { get; init; }

    public required int[] StreamLevels { get; init; }

    /// <summary>The simulator's gap between two stream events (<c>x-sim-tokens-per-second</c> = 1000 / gap).</summary>
    public required int StreamGapMs { get; init; }

    /// <summary>New streams opened per second while a level ramps up.</summary>
    public required int StreamOpenRate { get; init; }

    /// <summary>Seconds every stream of a level stays open after the last one opened.</summary>
    public required double StreamHoldSeconds { get; init; }

    /// <summary>Each stream level ran against servers started afresh for it (else one process took every level in turn).</summary>
    public bool FreshProcessPerStreamLevel { get; init; }

    /// <summary>The script's command line, for rerunning it.</summary>
    public required string Command { get; init; }
}
