using System.Diagnostics;
using Capacity.Model;

namespace Capacity.Load;

/// <summary>
/// Open loop (constant arrival rate): request i is due at start + i / rate whether or not earlier ones have answered, and
/// its latency counts from that due time. A server that queues cannot slow the sender down and hide the wait
/// ("coordinated omission"): a request sent late because the client was behind is charged its lateness too.
/// </summary>
/// <remarks>
/// One dedicated thread keeps the schedule and hands each due request to the thread pool. It sleeps while the next send is
/// more than 2 ms away and yields the CPU in a loop when closer, because a 1 ms sleep can oversleep by a millisecond, which
/// would put every p99 above 1 ms. The spinning costs the load generator's CPU, not the target's.
/// </remarks>
internal sealed class OpenLoopRunner(RequestSender sender, int pid, int maxInFlight)
{
    private static readonly long SleepThreshold = Stopwatch.Frequency / 500;

    private long[] _times = [];
    private int _count;
    private long _errors;
    private int _inFlight;
    private long _lastAnswer;
    private CancellationToken _drainCancel;

    /// <summary>Sends at <paramref name="rate"/> per second for <paramref name="seconds"/>, then waits up to
    /// <paramref name="drainSeconds"/> for the last answers; those still missing count as errors.</summary>
    public async Task<OpenStep> RunAsync(double rate, double seconds, double drainSeconds)
    {
        int total = Math.Max(1, (int)(rate * seconds));
        _times = new long[total];
        _count = 0;
        _errors = 0;
        _inFlight = 0;
        _lastAnswer = 0;
        using var drain = new CancellationTokenSource();
        _drainCancel = drain.Token;

        TimeSpan? cpuBefore = ProcStats.CpuTime(pid);
        double ticksPerRequest = Stopwatch.Frequency / rate;
        long start = Stopwatch.GetTimestamp();
        var dispatcher = new Thread(() => Dispatch(start, ticksPerRequest, total)) { IsBackground = true, Name = "open-loop" };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        double sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        long drainUntil = Stopwatch.GetTimestamp() + (long)(drainSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(5);
        }

        // Whatever is still out now fails with a cancellation and is counted as an error; wait for those counts.
        drain.Cancel();
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(5);
        }

        TimeSpan? cpuAfter = ProcStats.CpuTime(pid);
        int ok = _count;
        return new OpenStep
        {
            OfferedRps = Math.Round(rate, 1),
            // Answers per second from the first send to the last answer: a target that keeps up answers as fast as it is asked.
            AchievedRps = Math.Round(ok / Math.Max(sendSeconds, (_lastAnswer - start) / (double)Stopwatch.Frequency), 1),
            Seconds = Math.Round(sendSeconds, 3),
            Ok = ok,
            Errors = Interlocked.Read(ref _errors),
            Latency = LatencySamples.Summarise(_times, ok),
            CpuUsPerRequest = CpuPerRequest.Microseconds(cpuBefore, cpuAfter, ok),
        };
    }

    private void Dispatch(long start, double ticksPerRequest, int total)
    {
        for (int i = 0; i < total; i++)
        {
            long due = start + (long)(i * ticksPerRequest);
            WaitUntil(due);
            if (Volatile.Read(ref _inFlight) >= maxInFlight)
            {
                // The target is so far behind that the client would need more connections than it allows: a failure.
                Interlocked.Increment(ref _errors);
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Runner.SendAsync(state.Due), (Runner: this, Due: due),
                preferLocal: false);
        }
    }

    private async Task SendAsync(long due)
    {
        try
        {
            if (await sender.SendAsync(_drainCancel))
            {
                long now = Stopwatch.GetTimestamp();
                long latency = now - due;
                Volatile.Write(ref _lastAnswer, Math.Max(Volatile.Read(ref _lastAnswer), now));
                _times[Interlocked.Increment(ref _count) - 1] = latency;
            }
            else
            {
                Interlocked.Increment(ref _errors);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void WaitUntil(long due)
    {
        while (true)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > SleepThreshold)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
