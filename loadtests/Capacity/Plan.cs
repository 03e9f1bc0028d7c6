namespace Capacity;

/// <summary>How long each step runs and which levels are measured: the full run, or the two-minute <c>--quick</c> one.</summary>
internal sealed class Plan
{
    public required string Mode { get; init; }

    /// <summary>A discarded closed-loop run at 16 in flight before a target's first step: JIT, connections, caches.</summary>
    /// <remarks>
    /// The full run's is long enough for tiered compilation to finish: a fresh gateway JITs about 13,000 methods and runs
    /// PGO-instrumented code (whose probes are CPU in the runtime) for its first tens of seconds under load, so a 3 s
    /// warm-up measured the gateway's early steps with part of that cost (a run's c=32 step at 132 µs per request, its
    /// c=128 step at 111).
    /// </remarks>
    public required double WarmupSeconds { get; init; }

    public required int[] Concurrency { get; init; }

    public required double ClosedStepSeconds { get; init; }

    /// <summary>One in flight gets longer: its p99 is the added-latency figure and needs the samples.</summary>
    public required double SingleStepSeconds { get; init; }

    public required double[] OpenFractions { get; init; }

    public required double OpenStepSeconds { get; init; }

    /// <summary>How long an open-loop step waits for its last answers before counting them as errors.</summary>
    public required double DrainSeconds { get; init; }

    /// <summary>Streams in flight for the time-to-first-byte steps.</summary>
    public required int[] TtfbConcurrency { get; init; }

    public required double TtfbStepSeconds { get; init; }

    /// <summary>
    /// Rounds of the head-to-head comparison, run after every sweep (all targets warm): each round runs one step per target,
    /// kind and concurrency, in an order rotated by one each round, so drift on a shared machine (other work, a GC, the
    /// log writer catching up) falls on every target alike instead of on whichever was measured at that minute.
    /// </summary>
    public required int HeadToHeadRounds { get; init; }

    public required double HeadToHeadStepSeconds { get; init; }

    /// <summary>The concurrencies the rounds compare: one in flight (added latency) and the c=32 (throughput, CPU).</summary>
    public required int[] HeadToHeadConcurrency { get; init; }

    public required int[] StreamLevels { get; init; }

    public required double StreamHoldSeconds { get; init; }

    /// <summary>About 17 minutes for seven targets and two stream targets on two cores (three of them the head-to-head rounds).</summary>
    public static Plan Full { get; } = new()
    {
        Mode = "full",
        WarmupSeconds = 20,
        Concurrency = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
        ClosedStepSeconds = 3,
        SingleStepSeconds = 5,
        OpenFractions = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1],
        OpenStepSeconds = 4,
        DrainSeconds = 5,
        TtfbConcurrency = [1, 8, 32],
        TtfbStepSeconds = 3,
        HeadToHeadRounds = 4,
        HeadToHeadStepSeconds = 3,
        HeadToHeadConcurrency = [1, 32],
        StreamLevels = [1000, 2500, 5000, 7500, 10000],
        StreamHoldSeconds = 3,
    };

    /// <summary>About two minutes: enough to see that everything works and the rough shape, not to plan with.</summary>
    public static Plan Quick { get; } = new()
    {
        Mode = "quick",
        WarmupSeconds = 1,
        Concurrency = [1, 8, 32, 128, 512],
        ClosedStepSeconds = 1,
        SingleStepSeconds = 2,
        OpenFractions = [0.05, 0.2, 0.5, 0.8, 1.0],
        OpenStepSeconds = 1.5,
        DrainSeconds = 2,
        TtfbConcurrency = [1, 8],
        TtfbStepSeconds = 1,
        HeadToHeadRounds = 2,
        HeadToHeadStepSeconds = 1,
        HeadToHeadConcurrency = [1, 32],
        StreamLevels = [1000],
        StreamHoldSeconds = 2,
    };
}
