using Capacity.Load;
using Capacity.Model;
using Capacity.Report;

namespace Capacity;

/// <summary>
/// Measures one target: a closed-loop sweep over the plan's concurrency levels (the most it answers), then open-loop steps at
/// rising fractions of that maximum until two steps in a row miss the largest p99 threshold, fail requests or fall behind.
/// </summary>
internal sealed class Sweep(Plan plan, Action<string> log)
{
    /// <summary>Connections the client may open to one target; also the open loop's cap on requests in flight.</summary>
    public const int MaxConnections = 2048;

    /// <summary>The open loop stops after two steps in a row whose p99 passes this (the report's largest threshold).</summary>
    public const double StopAboveP99Ms = 10;

    public async Task<TargetResult> RunAsync(Target target)
    {
        using var sender = new RequestSender(target, MaxConnections);
        var result = new TargetResult { Name = target.Name, Description = target.Description, Process = target.Process };
        var closed = new ClosedLoopRunner(sender, target.Pid);
        await closed.RunAsync(16, plan.WarmupSeconds);

        foreach (int concurrency in plan.Concurrency)
        {
            var step = await closed.RunAsync(concurrency, concurrency == 1 ? plan.SingleStepSeconds : plan.ClosedStepSeconds);
            result.Closed.Add(step);
            log($"{target.Name} closed c={concurrency}: {step.Rps:F0} rps, p99 {step.Latency.P99} ms, {step.CpuUsPerRequest} us/req, {step.Errors} errors");
        }

        if (target.StreamTtfb)
        {
            await MeasureStreamTtfbAsync(target, result);
        }

        double best = result.Closed.Max(static s => s.Rps);
        var open = new OpenLoopRunner(sender, target.Pid, MaxConnections);

        // The first open-loop step after the closed sweep paid for a change of pace (connections opened, a GC, the log
        // writer catching up) and missed 10 ms on its own; one discarded step at the lowest rate takes that cost.
        double lowest = Rate(best, plan.OpenFractions[0]);
        var warmup = await open.RunAsync(lowest, plan.OpenStepSeconds, plan.DrainSeconds);
        log($"{target.Name} open warm-up {lowest:F0}/s (discarded): p99 {warmup.Latency.P99} ms");
        int failedInARow = 0;
        foreach (double fraction in plan.OpenFractions)
        {
            double rate = Rate(best, fraction);
            var step = await open.RunAsync(rate, plan.OpenStepSeconds, plan.DrainSeconds);
            result.Open.Add(step);
            log($"{target.Name} open {rate:F0}/s: got {step.AchievedRps:F0}/s, p50 {step.Latency.P50} p99 {step.Latency.P99} ms, {step.Errors} errors");
            // Two failing steps in a row end the climb: one may be a hiccup of a shared machine, and the step past the
            // break shows on the chart how fast latency grows there.
            failedInARow = Analysis.Breaks(step, StopAboveP99Ms) ? failedInARow + 1 : 0;
            if (failedInARow == 2)
            {
                break;
            }
        }

        if (sender.FirstError is { } error)
        {
            log($"{target.Name}: first error: {error}");
        }

        return result;
    }

    private static double Rate(double best, double fraction) => Math.Max(20, Math.Round(best * fraction));

    private async Task MeasureStreamTtfbAsync(Target target, TargetResult result)
    {
        using var runner = new StreamTtfbRunner(target, MaxConnections);
        await runner.RunAsync(plan.TtfbConcurrency[^1], plan.WarmupSeconds); // discarded: connections, JIT of the stream path
        foreach (int concurrency in plan.TtfbConcurrency)
        {
            var step = await runner.RunAsync(concurrency, plan.TtfbStepSeconds);
            result.StreamTtfb.Add(step);
            log($"{target.Name} stream TTFB c={concurrency}: p50 {step.Ttfb.P50} p99 {step.Ttfb.P99} ms, {step.Ok} streams, {step.Errors} errors");
        }

        if (runner.FirstError is { } error)
        {
            log($"{target.Name} streams: first error: {error}");
        }
    }
}
