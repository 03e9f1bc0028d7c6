using System.Globalization;
using System.Text;
using Capacity.Model;

namespace Capacity.Report;

/// <summary>
/// The report's head-to-head section: each target's median over the alternated rounds, against YARP (throughput and CPU at
/// c=32) and against the simulator alone (what one request in flight adds). These are the figures the goals are read from.
/// </summary>
internal static class HeadToHeadReport
{
    public static void Write(StringBuilder md, CapacityRun run)
    {
        if (run.HeadToHead.Count == 0)
        {
            return;
        }

        var s = run.Settings;
        md.AppendLine("## Head to head (alternated rounds)").AppendLine()
          .AppendLine(Invariant($"After every sweep, the targets below ran {s.HeadToHeadRounds} rounds of {s.HeadToHeadStepSeconds} s closed-loop steps, one target after another and"))
          .AppendLine("the order rotated each round, so each figure is the median of steps taken at the same moments as its rivals' (min–max over")
          .AppendLine("the rounds beside it). Plain: a whole JSON answer. Stream: an unpaced 16-event SSE answer read to its end, its latency")
          .AppendLine("to the first event. These are the figures to compare targets by; the sweeps above ran minutes apart.")
          .AppendLine();

        int busy = run.HeadToHead.Max(static h => h.Concurrency);
        md.AppendLine(Invariant($"At c={busy}:")).AppendLine()
          .AppendLine("| target | kind | per second | vs YARP | CPU µs each | vs YARP |")
          .AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var (target, kind) in Rows(run))
        {
            var rps = Analysis.HeadToHeadMedian(run, target, kind, busy, static h => h.Rps);
            var cpu = Analysis.HeadToHeadMedian(run, target, kind, busy, static h => h.CpuUsPerRequest);
            var yarpRps = Analysis.HeadToHeadMedian(run, MarkdownReport.YarpTarget, kind, busy, static h => h.Rps);
            var yarpCpu = Analysis.HeadToHeadMedian(run, MarkdownReport.YarpTarget, kind, busy, static h => h.CpuUsPerRequest);
            md.AppendLine(Invariant($"| {target} | {kind} | {Spread(run, target, kind, busy, static h => h.Rps, "N0")} | {Ratio(rps, yarpRps, target)} | {Spread(run, target, kind, busy, static h => h.CpuUsPerRequest, "F1")} | {Ratio(cpu, yarpCpu, target)} |"));
        }

        md.AppendLine();
        int single = run.HeadToHead.Min(static h => h.Concurrency);
        md.AppendLine(Invariant($"At c={single} (added = the target's median minus the simulator's alone, same kind):")).AppendLine()
          .AppendLine("| target | kind | p50 ms | p99 ms | added p50 ms | added p99 ms | added ≤ YARP's (p50, p99) |")
          .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | :---: |");
        foreach (var (target, kind) in Rows(run))
        {
            var (p50, p99) = Added(run, target, kind, single);
            var (y50, y99) = Added(run, MarkdownReport.YarpTarget, kind, single);
            bool isDirect = target == MarkdownReport.DirectTarget;
            string versus = !isDirect && target != MarkdownReport.YarpTarget && p50 is { } a && p99 is { } b && y50 is { } c && y99 is { } d
                ? (a <= c ? "✓" : "✗") + " " + (b <= d ? "✓" : "✗")
                : "–";
            md.AppendLine(Invariant($"| {target} | {kind} | {Spread(run, target, kind, single, static h => h.Latency.P50, "F3")} | {Spread(run, target, kind, single, static h => h.Latency.P99, "F3")} | {(isDirect ? "–" : MarkdownReport.Ms(p50))} | {(isDirect ? "–" : MarkdownReport.Ms(p99))} | {versus} |"));
        }

        md.AppendLine();
    }

    /// <summary>Each target and kind measured, in the order the run met them.</summary>
    private static IEnumerable<(string Target, string Kind)> Rows(CapacityRun run) =>
        run.HeadToHead.Select(static h => (h.Target, h.Kind)).Distinct().OrderBy(static r => r.Kind == HeadToHeadStep.Plain ? 0 : 1);

    private static (double? P50, double? P99) Added(CapacityRun run, string target, string kind, int concurrency)
    {
        double? Median(string name, Func<HeadToHeadStep, double?> pick) => Analysis.HeadToHeadMedian(run, name, kind, concurrency, pick);
        return (Analysis.Minus(Median(target, static h => h.Latency.P50), Median(MarkdownReport.DirectTarget, static h => h.Latency.P50)),
                Analysis.Minus(Median(target, static h => h.Latency.P99), Median(MarkdownReport.DirectTarget, static h => h.Latency.P99)));
    }

    private static string Spread(CapacityRun run, string target, string kind, int concurrency, Func<HeadToHeadStep, double?> pick, string format)
    {
        var values = Analysis.HeadToHeadValues(run, target, kind, concurrency, pick);
        if (values.Count == 0)
        {
            return "–";
        }

        string median = Analysis.Median(values).ToString(format, CultureInfo.InvariantCulture);
        return values.Count == 1 ? median : $"{median} ({values[0].ToString(format, CultureInfo.InvariantCulture)}–{values[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }

    private static string Ratio(double? value, double? yarp, string target) =>
        target == MarkdownReport.YarpTarget || value is not { } v || yarp is not { } y || y == 0 ? "–" : Invariant($"{v / y:F2} ×");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
