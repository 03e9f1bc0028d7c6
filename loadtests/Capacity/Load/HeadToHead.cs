using Capacity.Model;

namespace Capacity.Load;

/// <summary>
/// The head-to-head rounds: the targets that take part compared step by step at the same moments, plain requests and
/// streams, at each of the plan's concurrencies. A target's sweep runs minutes apart from another's, and on a shared
/// machine those minutes differ (another process's build, a collection, JIT still at work); alternating short steps and
/// taking each figure's median over the rounds leaves the targets' difference rather than the minutes'.
/// </summary>
internal sealed class HeadToHead(Plan plan, int maxConnections, Action<string> log)
{
    public async Task<List<HeadToHeadStep>> RunAsync(IReadOnlyList<Target> targets)
    {
        var contenders = new List<Contender>();
        try
        {
            foreach (var target in targets)
            {
                var sender = new RequestSender(target, maxConnections);
                contenders.Add(new Contender(target, sender, new ClosedLoopRunner(sender, target.Pid),
                    target.StreamTtfb ? new StreamTtfbRunner(target, maxConnections) : null));
            }

            var steps = new List<HeadToHeadStep>();
            var order = Schedule(contenders);
            for (int round = 1; round <= plan.HeadToHeadRounds; round++)
            {
                // Rotated by one each round: no target always follows the same one or always runs first.
                int shift = (round - 1) % order.Count;
                foreach (var (contender, kind, concurrency) in order.Skip(shift).Concat(order.Take(shift)))
                {
                    var step = await RunStepAsync(contender, kind, concurrency, round);
                    steps.Add(step);
                    log($"head-to-head round {round} {step.Target} {kind} c={concurrency}: {step.Rps:F0}/s, p50 {step.Latency.P50} p99 {step.Latency.P99} ms, {step.CpuUsPerRequest} us each, {step.Errors} errors");
                }
            }

            return steps;
        }
        finally
        {
            foreach (var contender in contenders)
            {
                contender.Sender.Dispose();
                contender.Streams?.Dispose();
            }
        }
    }

    private List<(Contender Contender, string Kind, int Concurrency)> Schedule(List<Contender> contenders)
    {
        var order = new List<(Contender, string, int)>();
        foreach (int concurrency in plan.HeadToHeadConcurrency)
        {
            order.AddRange(contenders.Select(c => (c, HeadToHeadStep.Plain, concurrency)));
            order.AddRange(contenders.Where(static c => c.Streams is not null).Select(c => (c, HeadToHeadStep.Stream, concurrency)));
        }

        return order;
    }

    private async Task<HeadToHeadStep> RunStepAsync(Contender contender, string kind, int concurrency, int round)
    {
        double seconds = plan.HeadToHeadStepSeconds;
        if (kind == HeadToHeadStep.Plain)
        {
            var closed = await contender.Closed.RunAsync(concurrency, seconds);
            return new HeadToHeadStep
            {
                Target = contender.Target.Name, Kind = kind, Concurrency = concurrency, Round = round, Seconds = closed.Seconds,
                Ok = closed.Ok, Errors = closed.Errors, Rps = closed.Rps, Latency = closed.Latency, CpuUsPerRequest = closed.CpuUsPerRequest,
            };
        }

        TimeSpan? cpuBefore = ProcStats.CpuTime(contender.Target.Pid);
        var streams = await contender.Streams!.RunAsync(concurrency, seconds);
        TimeSpan? cpuAfter = ProcStats.CpuTime(contender.Target.Pid);
        return new HeadToHeadStep
        {
            Target = contender.Target.Name, Kind = kind, Concurrency = concurrency, Round = round, Seconds = streams.Seconds,
            Ok = streams.Ok, Errors = streams.Errors, Rps = Math.Round(streams.Ok / streams.Seconds, 1), Latency = streams.Ttfb,
            CpuUsPerRequest = CpuPerRequest.Microseconds(cpuBefore, cpuAfter, streams.Ok),
        };
    }

    private sealed record Contender(Target Target, RequestSender Sender, ClosedLoopRunner Closed, StreamTtfbRunner? Streams);
}
