using System.Diagnostics;
using Capacity.Model;

namespace Capacity.Load;

/// <summary>
/// Closed loop: C clients, each sending its next request when the last one answered, for a fixed time. It finds the most a
/// target answers, but a slow answer also slows the sending, so its latencies hide queueing; <see cref="OpenLoopRunner"/>
/// measures latency instead.
/// </summary>
internal sealed class ClosedLoopRunner(RequestSender sender, int pid)
{
    public async Task<ClosedStep> RunAsync(int concurrency, double seconds)
    {
        TimeSpan? cpuBefore = ProcStats.CpuTime(pid);
        long start = Stopwatch.GetTimestamp();
        long stopAt = start + (long)(seconds * Stopwatch.Frequency);
        var workers = new Task<(List<long> Times, long Errors)>[concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => RunClientAsync(stopAt));
        }

        var results = await Task.WhenAll(workers);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TimeSpan? cpuAfter = ProcStats.CpuTime(pid);

        int count = 0;
        long errors = 0;
        foreach (var (times, failed) in results)
        {
            count += times.Count;
            errors += failed;
        }

        long[] all = new long[count];
        int at = 0;
        foreach (var (times, _) in results)
        {
            times.CopyTo(all, at);
            at += times.Count;
        }

        return new ClosedStep
        {
            Concurrency = concurrency,
            Seconds = Math.Round(elapsed, 3),
            Ok = count,
            Errors = errors,
            Rps = Math.Round(count / elapsed, 1),
            Latency = LatencySamples.Summarise(all, count),
            CpuUsPerRequest = CpuPerRequest.Microseconds(cpuBefore, cpuAfter, count),
        };
    }

    private async Task<(List<long> Times, long Errors)> RunClientAsync(long stopAt)
    {
        var times = new List<long>(1024);
        long errors = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            long sent = Stopwatch.GetTimestamp();
            if (await sender.SendAsync(CancellationToken.None))
            {
                times.Add(Stopwatch.GetTimestamp() - sent);
            }
            else
            {
                errors++;
            }
        }

        return (times, errors);
    }
}
