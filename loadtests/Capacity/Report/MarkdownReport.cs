using System.Globalization;
using System.Text;
using Capacity.Model;

namespace Capacity.Report;

/// <summary>The report's <c>README.md</c>: the summary tables, how to size with them, the charts and the method.</summary>
internal static class MarkdownReport
{
    /// <summary>The name the direct-to-simulator baseline has in every run; added latency is measured against it.</summary>
    public const string DirectTarget = "direct";

    /// <summary>The plain proxy whose added stream time to first byte the gateway's is held against.</summary>
    public const string YarpTarget = "yarp";

    /// <summary>The longest stall a held stream may see, in provider gaps.</summary>
    public const int StallGoalGaps = 10;

    public static string Render(CapacityRun run, IReadOnlyCollection<string> charts)
    {
        var md = new StringBuilder();
        var direct = run.Targets.FirstOrDefault(static t => t.Name == DirectTarget);
        md.AppendLine("# Capacity report").AppendLine();
        if (run.IsQuick)
        {
            md.AppendLine("> **Quick run (`--quick`).** Every step lasted one or two seconds on a machine that may have been busy: these figures")
              .AppendLine("> show that the tool works and the rough shape of the curves. Do not plan with them; run the full report.")
              .AppendLine();
        }

        var m = run.Machine;
        md.AppendLine(Invariant($"Measured {run.Timestamp:yyyy-MM-dd HH:mm} UTC on **{m.Cores} cores** ({m.CpuModel}), {m.MemoryGib:F1} GiB, {m.Os}; {m.Dotnet}; commit `{m.Commit}`."))
          .Append(m.LoadAverage is { } load
              ? Invariant($"Load average when the run began: {load:F1}{(load > m.Cores / 2.0 ? " — **other work was using the CPUs; every figure is lower than this machine can do**" : "")}.\n")
              : "")
          .AppendLine("The load generator, the simulator (the upstream) and the target share those cores, so each figure is what the target does")
          .AppendLine(Invariant($"with the CPU left to it. Raw data: [`capacity.json`](capacity.json). Command: `{run.Settings.Command}`."))
          .AppendLine();

        WriteSizing(md, run, direct);
        HeadToHeadReport.Write(md, run);
        WriteMaxRate(md, run);
        WriteCpu(md, run);
        WriteAdded(md, run, direct);
        WriteStreamTtfb(md, run, direct);
        WriteStreams(md, run);
        WriteCharts(md, charts);
        WriteMethod(md, run);
        if (run.Notes.Count > 0)
        {
            md.AppendLine("## Notes from the run").AppendLine();
            foreach (string note in run.Notes)
            {
                md.AppendLine("- " + note);
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static void WriteSizing(StringBuilder md, CapacityRun run, TargetResult? direct)
    {
        md.AppendLine("## How to read it for sizing").AppendLine();
        int cores = run.Machine.Cores;
        foreach (var target in run.Targets.Where(static t => t.Name != DirectTarget))
        {
            var held = Analysis.Thresholds.Select(t => (Threshold: t, Step: Analysis.MaxRateUnder(target, t)))
                .Where(static h => h.Step is not null).ToArray();
            string rates = held.Length == 0
                ? Invariant($"no open-loop rate kept p99 under {Analysis.Thresholds[^1]} ms")
                : string.Join(", ", held.Select(static h => Invariant($"**{h.Step!.OfferedRps:N0} RPS at p99 < {h.Threshold} ms**")));
            md.Append(Invariant($"- **{target.Name}**: {cores} cores hold {rates}"));
            if (Analysis.SizingCpu(run, target) is { } cpu)
            {
                md.Append(Invariant($"; at {cpu:F0} µs of CPU per request, each core given to the {target.Process} process serves about {Analysis.PerCore(cpu):N0} RPS"));
            }

            md.AppendLine(".");
        }

        md.AppendLine()
          .AppendLine("Read a row as: *this many cores, shared with the load generator and the upstream, hold this rate at that p99*. On a")
          .AppendLine("machine where the gateway has its own cores, the CPU figure is the better guide: cores needed ≈ peak RPS × µs per request")
          .AppendLine("/ 1,000,000, plus headroom (queueing grows quickly past ~70 % busy, as the latency chart shows). Memory for streams: the")
          .AppendLine("idle RSS plus KiB per held stream × streams, and two descriptors per stream (client side and upstream).");
        if (direct is not null)
        {
            md.AppendLine("`direct` is the simulator alone: the ceiling of this machine's load generator and upstream, not a target to size.");
        }

        md.AppendLine();
    }

    private static void WriteMaxRate(StringBuilder md, CapacityRun run)
    {
        md.AppendLine("## Max RPS at p99 under 1 / 5 / 10 ms (open loop)").AppendLine()
          .AppendLine("| target | p99 < 1 ms | p99 < 5 ms | p99 < 10 ms | closed-loop max RPS (at c) | what it is |")
          .AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var target in run.Targets)
        {
            md.Append("| ").Append(target.Name).Append(" | ");
            foreach (double threshold in Analysis.Thresholds)
            {
                var step = Analysis.MaxRateUnder(target, threshold);
                md.Append(step is null ? BelowLowest(target) : Invariant($"{step.OfferedRps:N0}")).Append(" | ");
            }

            var best = Analysis.BestClosed(target);
            md.Append(best is null ? "–" : Invariant($"{best.Rps:N0} ({best.Concurrency})"))
              .Append(" | ").Append(target.Description).AppendLine(" |");
        }

        md.AppendLine()
          .AppendLine("A rate counts when its step and every lower one kept p99 under the threshold, failed at most")
          .AppendLine(Invariant($"{Analysis.MaxErrorRate:P1} of requests and answered at least {Analysis.MinKeptUp:P0} of the offered rate. `< N` means even the lowest rate tried (N RPS) missed it."))
          .AppendLine();
    }

    private static string BelowLowest(TargetResult target) =>
        target.Open.Count == 0 ? "–" : Invariant($"< {target.Open.Min(static s => s.OfferedRps):N0}");

    private static void WriteCpu(StringBuilder md, CapacityRun run)
    {
        md.AppendLine("## CPU per request").AppendLine()
          .AppendLine(Invariant($"| target | process | µs per request at c={Analysis.CpuConcurrency} | RPS one busy core serves | lowest µs per request (at c) |"))
          .AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var target in run.Targets)
        {
            var reference = Analysis.CpuReference(target);
            var lowest = target.Closed.Where(static s => s.CpuUsPerRequest is not null).MinBy(static s => s.CpuUsPerRequest);
            string at = reference is null || reference.Concurrency == Analysis.CpuConcurrency ? "" : Invariant($" (c={reference.Concurrency})");
            md.Append(Invariant($"| {target.Name} | {target.Process} | "))
              .Append(reference?.CpuUsPerRequest is { } cpu ? Invariant($"{cpu:F1}{at} | {Analysis.PerCore(cpu):N0}") : "– | –")
              .Append(" | ")
              .Append(lowest?.CpuUsPerRequest is { } low ? Invariant($"{low:F1} ({lowest.Concurrency})") : "–")
              .AppendLine(" |");
        }

        md.AppendLine()
          .AppendLine("User + system CPU time of the target's process (`/proc/PID/stat`, 10 ms ticks) over the step, divided by the requests")
          .AppendLine("answered in it. Background work the requests cause (log rows written after the answer) falls in the same window.")
          .AppendLine();
    }

    private static void WriteAdded(StringBuilder md, CapacityRun run, TargetResult? direct)
    {
        md.AppendLine("## Added latency at one request in flight").AppendLine()
          .AppendLine("| target | p50 ms | p99 ms | added p50 ms | added p99 ms |")
          .AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var target in run.Targets)
        {
            var latency = Analysis.Closed(target, 1)?.Latency;
            var (p50, p99) = Analysis.AddedAtOne(target, direct);
            md.AppendLine(Invariant($"| {target.Name} | {Ms(latency?.P50)} | {Ms(latency?.P99)} | {(target == direct ? "–" : Ms(p50))} | {(target == direct ? "–" : Ms(p99))} |"));
        }

        md.AppendLine()
          .AppendLine("Closed loop, one client, whole request (send to last body byte); added = the target's percentile minus direct's.")
          .AppendLine();
    }

    private static void WriteStreamTtfb(StringBuilder md, CapacityRun run, TargetResult? direct)
    {
        var measured = run.Targets.Where(static t => t.StreamTtfb.Count > 0).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        var yarp = measured.FirstOrDefault(static t => t.Name == YarpTarget);
        md.AppendLine("## Stream time to first byte").AppendLine()
          .AppendLine("| target | streams in flight | TTFB p50 ms | TTFB p99 ms | added p50 ms | added p99 ms | added ≤ YARP's (p50, p99) |")
          .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | :---: |");
        foreach (var target in measured)
        {
            foreach (var step in target.StreamTtfb)
            {
                var (p50, p99) = Analysis.AddedTtfb(target, direct, step.Concurrency);
                string versus = "–";
                if (target != direct && target != yarp && yarp is not null
                    && Analysis.AddedTtfb(yarp, direct, step.Concurrency) is ({ } y50, { } y99) && p50 is { } g50 && p99 is { } g99)
                {
                    versus = (g50 <= y50 ? "✓" : "✗") + " " + (g99 <= y99 ? "✓" : "✗");
                }

                bool isDirect = target == direct;
                md.AppendLine(Invariant($"| {target.Name} | {step.Concurrency} | {Ms(step.Ttfb.P50)} | {Ms(step.Ttfb.P99)} | {(isDirect ? "–" : Ms(p50))} | {(isDirect ? "–" : Ms(p99))} | {versus} |"));
            }
        }

        md.AppendLine()
          .AppendLine("Closed loop, C streams always in flight, unpaced (the simulator sends every event at once): the time from a stream's")
          .AppendLine("send to the first byte of its body (the first event); added = the target's percentile minus direct's at the same C.")
          .AppendLine("The goal is for the gateway to add no more than plain YARP at p50 and at p99 (✓). Steps are short: compare the")
          .AppendLine("ratio over several runs before trusting a single ✗ or ✓ on a busy machine.")
          .AppendLine();
    }

    private static void WriteStreams(StringBuilder md, CapacityRun run)
    {
        if (run.Streams.Count == 0)
        {
            return;
        }

        md.AppendLine("## Streams held at scale").AppendLine()
          .AppendLine(Invariant($"Each stream paced by the simulator at one event every {run.Settings.StreamGapMs} ms, opened at {run.Settings.StreamOpenRate:N0} per second and held together for {run.Settings.StreamHoldSeconds} s."))
          .AppendLine(run.Settings.FreshProcessPerStreamLevel
              ? "Every level ran against a simulator and gateway started afresh for it (a fresh data folder too)."
              : "The levels ran one after another in one process per target, so each level starts from what the last one left.")
          .AppendLine()
          .AppendLine("| target | streams | most open at once | complete | failed | events delivered / expected | longest stall ms (p99 of streams) | RSS before MiB | RSS held MiB | peak MiB | KiB per stream | managed heap before → held MiB | heap KiB per stream |")
          .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var target in run.Streams)
        {
            foreach (var level in target.Levels)
            {
                md.AppendLine(Invariant($"| {target.Target} ({target.Process}) | {level.Streams:N0} | {level.MaxOpen:N0} | {level.Complete:N0} | {level.Failed:N0} | {level.EventsDelivered:N0} / {level.EventsExpected:N0} | {level.MaxStallMs:F0} ({level.P99StallMs:F0}){Mark(level.MaxStallMs <= StallGoalGaps * run.Settings.StreamGapMs)} | {level.RssBeforeMib:F0} | {level.RssHeldMib:F0} | {level.RssPeakMib:F0} | {level.KibPerStream:F1} | {Heap(level)} | {(level.HeapKibPerStream is { } k ? k.ToString("F1", CultureInfo.InvariantCulture) : "–")} |"));
            }
        }

        md.AppendLine();
        var failures = run.Streams.SelectMany(static s => s.Levels.Where(static l => l.FirstError is not null).Select(l => (s.Target, l)));
        foreach (var (target, level) in failures)
        {
            md.AppendLine(Invariant($"- {target} at {level.Streams:N0}: first failure: `{level.FirstError}`"));
        }

        WriteStreamCpu(md, run);
        md.AppendLine()
          .AppendLine("A stream is complete when it ends in `data: [DONE]` with exactly the events of an unpaced probe stream of the same")
          .AppendLine(Invariant($"length. The stall is the longest silence between two events of one stream; ✓ when under {StallGoalGaps} × the gap."))
          .AppendLine();
        if (run.Ceilings.Count > 0)
        {
            md.AppendLine("Each process's own ceiling for held streams on this machine:").AppendLine()
              .AppendLine("| process | open-file limit | descriptors per stream | streams it can hold | note |")
              .AppendLine("| --- | ---: | ---: | ---: | --- |");
            foreach (var ceiling in run.Ceilings)
            {
                md.AppendLine(Invariant($"| {ceiling.Process} | {ceiling.DescriptorLimit?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} | {ceiling.DescriptorsPerStream} | {ceiling.MaxStreams?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} | {ceiling.Note} |"));
            }

            md.AppendLine();
        }
    }

    /// <summary>Where the cores went while each level ran: the target, its upstream and the load client, each on its own.</summary>
    private static void WriteStreamCpu(StringBuilder md, CapacityRun run)
    {
        var levels = run.Streams.SelectMany(static s => s.Levels.Where(static l => l.TargetCpuSeconds is not null).Select(l => (s, l))).ToList();
        if (levels.Count == 0)
        {
            return;
        }

        int cores = run.Machine.Cores;
        md.AppendLine()
          .AppendLine(Invariant($"Where the {cores} cores went while each level ran (CPU seconds of each process, `/proc/PID/stat`):"))
          .AppendLine()
          .AppendLine("| target | streams | seconds | target CPU s | simulator CPU s | client CPU s | cores the three kept busy | cores busy, all processes | target µs per event |")
          .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (target, level) in levels)
        {
            double total = (level.TargetCpuSeconds ?? 0) + (level.UpstreamCpuSeconds ?? 0) + (level.ClientCpuSeconds ?? 0);
            string busy = level.Seconds > 0 ? Invariant($"{total / level.Seconds:F2} of {cores}") : "–";
            string machine = level.Seconds > 0 && level.MachineCpuSeconds is { } all ? Invariant($"{all / level.Seconds:F2}") : "–";
            string perEvent = level.EventsDelivered > 0 && level.TargetCpuSeconds is { } cpu ? Invariant($"{cpu * 1_000_000 / level.EventsDelivered:F1}") : "–";
            string upstream = level.UpstreamCpuSeconds is { } u ? Invariant($"{u:F1}") : "(the target)";
            md.AppendLine(Invariant($"| {target.Target} ({target.Process}) | {level.Streams:N0} | {level.Seconds:F1} | {level.TargetCpuSeconds:F1} | {upstream} | {level.ClientCpuSeconds:F1} | {busy} | {machine} | {perEvent} |"));
        }

        md.AppendLine()
          .AppendLine("When the three together keep every core busy, a stall is the machine's, not one process's: the level needs more")
          .AppendLine("cores than it had, and the process with the largest share is the first to give more of them to. When all processes")
          .AppendLine("kept the cores busy but these three did not, other work on the machine took them and the stalls are not the target's.");
    }

    private static void WriteCharts(StringBuilder md, IReadOnlyCollection<string> charts)
    {
        if (charts.Count == 0)
        {
            return;
        }

        md.AppendLine("## Charts").AppendLine();
        foreach (string chart in charts)
        {
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(chart).Replace('-', ' ')}]({chart})").AppendLine();
        }
    }

    private static void WriteMethod(StringBuilder md, CapacityRun run)
    {
        var s = run.Settings;
        md.AppendLine("## Method").AppendLine()
          .AppendLine(Invariant($"- **Closed loop** (max throughput): C clients each send the next request when the last answered, C = {string.Join(", ", s.Concurrency)}, {s.ClosedStepSeconds} s each after a discarded warm-up."))
          .AppendLine(Invariant($"- **Open loop** (latency): requests leave at a constant rate, {string.Join(", ", s.OpenFractions.Select(static f => f.ToString("P0", CultureInfo.InvariantCulture)))} of the target's best closed-loop RPS, {s.OpenStepSeconds} s each, stopping after two steps in a row over {Sweep.StopAboveP99Ms} ms p99 (or failing, or falling behind the rate). Latency counts from each request's *intended* send time, so a server that queues cannot slow the sender and hide the wait (coordinated omission); a request the client itself sent late is charged its lateness too."))
          .AppendLine("- **Open loop warm-up**: before the first rate, one step at that rate is run and discarded (the change of pace from the closed sweep: connections, a GC, the log writer catching up).")
          .AppendLine("- **CPU per request**: the target process's user + system time across a step over the requests answered in it.")
          .Append(s.HeadToHeadRounds == 0 ? "" : Invariant($"- **Head to head**: after every sweep, {s.HeadToHeadRounds} rounds of {s.HeadToHeadStepSeconds} s steps per target, kind and concurrency, alternated and rotated; medians over the rounds. The sizing lines above use their CPU per request at c={Analysis.CpuConcurrency} where a target took part.\n"))
          .Append(s.TtfbConcurrency.Length == 0 ? "" : Invariant($"- **Stream time to first byte**: C = {string.Join(", ", s.TtfbConcurrency)} unpaced streams always in flight, {s.TtfbStepSeconds} s each after a discarded warm-up.\n"))
          .AppendLine("- **Streams**: N streams opened at a steady rate, all held together, read to the end; the target's RSS sampled every 100 ms, and its managed heap (after its last collection, from `/health`, where the target has one) every 500 ms.")
          .AppendLine("- Every target shares one simulator (zero latency unless paced) and one machine; compare targets within one report, not across machines.")
          .AppendLine();
    }

    private static string Heap(StreamLevel level) =>
        level.HeapBeforeMib is { } before && level.HeapHeldMib is { } held ? Invariant($"{before:F0} → {held:F0}") : "–";

    private static string Mark(bool met) => met ? " ✓" : " ✗";

    /// <summary>Milliseconds with three decimals, or a dash when missing.</summary>
    public static string Ms(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "–";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
