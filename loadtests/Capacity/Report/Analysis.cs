using Capacity.Model;

namespace Capacity.Report;

/// <summary>The figures the report derives from a run's steps; one definition for the summary, the charts and the sweep.</summary>
internal static class Analysis
{
    /// <summary>The p99 thresholds the report gives a maximum rate for, in milliseconds.</summary>
    public static readonly double[] Thresholds = [1, 5, 10];

    /// <summary>The concurrency whose CPU per request the summary quotes (the reference point, c=32).</summary>
    public const int CpuConcurrency = 32;

    /// <summary>More failed requests than this share breaks a step.</summary>
    public const double MaxErrorRate = 0.001;

    /// <summary>Answering less than this share of the offered rate breaks a step: the target fell behind.</summary>
    public const double MinKeptUp = 0.9;

    /// <summary>True when the step misses <paramref name="p99Ms"/>, fails too many requests or fell behind its rate.</summary>
    public static bool Breaks(OpenStep step, double p99Ms) =>
        step.Latency.P99 is not { } p99 || p99 >= p99Ms || ErrorRate(step.Ok, step.Errors) > MaxErrorRate
        || step.AchievedRps < MinKeptUp * step.OfferedRps;

    public static double ErrorRate(long ok, long errors) => ok + errors == 0 ? 1 : (double)errors / (ok + errors);

    /// <summary>
    /// The highest offered rate that kept p99 under <paramref name="p99Ms"/>, with every lower rate also under it: a rate
    /// that passes by luck above one that failed is not one to plan with. Null when even the lowest rate failed.
    /// </summary>
    public static OpenStep? MaxRateUnder(TargetResult target, double p99Ms)
    {
        OpenStep? best = null;
        foreach (var step in target.Open.OrderBy(static s => s.OfferedRps))
        {
            if (Breaks(step, p99Ms))
            {
                break;
            }

            best = step;
        }

        return best;
    }

    /// <summary>The closed-loop step with the most answers per second.</summary>
    public static ClosedStep? BestClosed(TargetResult target) => target.Closed.MaxBy(static s => s.Rps);

    public static ClosedStep? Closed(TargetResult target, int concurrency) =>
        target.Closed.FirstOrDefault(s => s.Concurrency == concurrency);

    /// <summary>The closed-loop step at <see cref="CpuConcurrency"/>, or the nearest level measured.</summary>
    public static ClosedStep? CpuReference(TargetResult target) =>
        target.Closed.MinBy(static s => Math.Abs(Math.Log2(s.Concurrency) - Math.Log2(CpuConcurrency)));

    /// <summary>
    /// The CPU per plain request to size with: the head-to-head median at <see cref="CpuConcurrency"/> where the target took
    /// part (measured warm, beside its rivals), else its sweep's step nearest that concurrency.
    /// </summary>
    public static double? SizingCpu(CapacityRun run, TargetResult target) =>
        HeadToHeadMedian(run, target.Name, HeadToHeadStep.Plain, CpuConcurrency, static h => h.CpuUsPerRequest)
        ?? CpuReference(target)?.CpuUsPerRequest;

    /// <summary>p50 and p99 at one request in flight minus the direct target's: what the proxy adds to each request.</summary>
    public static (double? P50, double? P99) AddedAtOne(TargetResult target, TargetResult? direct)
    {
        var own = Closed(target, 1)?.Latency;
        var baseline = direct is null ? null : Closed(direct, 1)?.Latency;
        return (Minus(own?.P50, baseline?.P50), Minus(own?.P99, baseline?.P99));
    }

    /// <summary>
    /// Stream time to first byte, p50 and p99, at <paramref name="concurrency"/> streams in flight minus the direct target's
    /// at the same concurrency: what the proxy adds before a stream's first event.
    /// </summary>
    public static (double? P50, double? P99) AddedTtfb(TargetResult target, TargetResult? direct, int concurrency)
    {
        var own = Ttfb(target, concurrency)?.Ttfb;
        var baseline = direct is null ? null : Ttfb(direct, concurrency)?.Ttfb;
        return (Minus(own?.P50, baseline?.P50), Minus(own?.P99, baseline?.P99));
    }

    public static TtfbStep? Ttfb(TargetResult target, int concurrency) =>
        target.StreamTtfb.FirstOrDefault(s => s.Concurrency == concurrency);

    /// <summary>One figure of a target's head-to-head steps of one kind and concurrency, every round's, sorted.</summary>
    public static List<double> HeadToHeadValues(CapacityRun run, string target, string kind, int concurrency, Func<HeadToHeadStep, double?> pick) =>
        run.HeadToHead.Where(h => h.Target == target && h.Kind == kind && h.Concurrency == concurrency)
            .Select(pick).OfType<double>().Order().ToList();

    /// <summary>The median of that figure over the rounds; null when no round measured it.</summary>
    public static double? HeadToHeadMedian(CapacityRun run, string target, string kind, int concurrency, Func<HeadToHeadStep, double?> pick)
    {
        var values = HeadToHeadValues(run, target, kind, concurrency, pick);
        return values.Count == 0 ? null : Median(values);
    }

    /// <summary>The middle of sorted values (the mean of the two middle ones for an even count).</summary>
    public static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>Requests per second one fully busy core gives at <paramref name="cpuUsPerRequest"/>.</summary>
    public static double PerCore(double cpuUsPerRequest) => 1_000_000 / cpuUsPerRequest;

    /// <summary>a − b to the microsecond, or null when either is missing.</summary>
    public static double? Minus(double? a, double? b) => a is { } x && b is { } y ? Math.Round(x - y, 3) : null;
}
