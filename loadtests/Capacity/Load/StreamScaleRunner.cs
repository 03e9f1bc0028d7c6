using System.Diagnostics;
using System.Globalization;
using Capacity.Model;

namespace Capacity.Load;

/// <summary>
/// Streams at scale: opens N streams at a steady rate, each paced by the simulator (one event every gap), long enough that
/// all N are open together for the hold time; checks that every stream delivered every event and ended in <c>[DONE]</c>,
/// records each stream's longest silence, and samples the target's RSS throughout.
/// </summary>
internal sealed class StreamScaleRunner(Target target, int gapMs, int openRate, double holdSeconds)
{
    private static readonly byte[] DoneMarker = "data: [DONE]"u8.ToArray();
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettleAfter = TimeSpan.FromSeconds(2);

    private readonly byte[] _body = File.ReadAllBytes(target.StreamBody ?? target.Body);
    private int _open;
    private int _maxOpen;

    /// <summary>Events one stream of <paramref name="tokens"/> tokens carries, counted on one unpaced stream.</summary>
    public async Task<int> CountEventsAsync(int tokens)
    {
        using var invoker = new HttpMessageInvoker(RequestSender.CreateHandler(1));
        var result = await ReadStreamAsync(invoker, tokens, paced: false, expected: -1, CancellationToken.None);
        return result.Error is null ? (int)result.Events : throw new InvalidOperationException("probe stream failed: " + result.Error);
    }

    public async Task<StreamLevel> RunLevelAsync(int streams)
    {
        double ramp = streams / (double)openRate;
        int tokens = (int)Math.Ceiling((ramp + holdSeconds) * 1000 / gapMs);
        int expected = await CountEventsAsync(tokens);

        _open = 0;
        _maxOpen = 0;
        var samples = new List<(int Open, double Rss)>();
        double rssBefore = ProcStats.RssMib(target.Pid) ?? 0;
        using var stopSampling = new CancellationTokenSource();
        Task sampler = SampleAsync(samples, stopSampling.Token);

        // Every stream should end by ramp + hold. A target short of CPU delivers more slowly (and the simulator's pacing waits
        // on it), so allow four times that before calling a stream stalled for good.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(4 * (ramp + holdSeconds) + 30));
        using var invoker = new HttpMessageInvoker(RequestSender.CreateHandler(int.MaxValue));
        var cpuBefore = CpuNow();
        long start = Stopwatch.GetTimestamp();
        var tasks = new Task<StreamOutcome>[streams];
        for (int i = 0; i < streams; i++)
        {
            long due = start + (long)(i * (double)Stopwatch.Frequency / openRate);
            long wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            tasks[i] = ReadStreamAsync(invoker, tokens, paced: true, expected, deadline.Token);
        }

        StreamOutcome[] outcomes = await Task.WhenAll(tasks);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = Used(cpuBefore, CpuNow());
        invoker.Dispose();
        await Task.Delay(SettleAfter);
        await stopSampling.CancelAsync();
        await sampler;

        return Summarise(streams, expected, outcomes, samples, rssBefore, seconds, cpu);
    }

    /// <summary>CPU time so far of the target, its upstream, this client and the whole machine.</summary>
    private CpuReading CpuNow() =>
        new(ProcStats.CpuTime(target.Pid), target.UpstreamPid is { } upstream ? ProcStats.CpuTime(upstream) : null,
            Process.GetCurrentProcess().TotalProcessorTime, ProcStats.MachineBusyTime());

    private static CpuUsed Used(CpuReading before, CpuReading after)
    {
        static double? Seconds(TimeSpan? a, TimeSpan? b) => a is { } x && b is { } y ? Math.Round((y - x).TotalSeconds, 2) : null;
        return new(Seconds(before.Target, after.Target), Seconds(before.Upstream, after.Upstream),
            Seconds(before.Client, after.Client), Seconds(before.Machine, after.Machine));
    }

    private StreamLevel Summarise(int streams, int expected, StreamOutcome[] outcomes, List<(int Open, double Rss)> samples,
        double rssBefore, double seconds, CpuUsed cpu)
    {
        int complete = 0;
        long delivered = 0;
        string? firstError = null;
        var stalls = new double[outcomes.Length];
        for (int i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i];
            delivered += outcome.Events;
            stalls[i] = outcome.MaxGapTicks * 1000.0 / Stopwatch.Frequency;
            if (outcome.Error is null)
            {
                complete++;
            }
            else
            {
                firstError ??= outcome.Error;
            }
        }

        Array.Sort(stalls);
        int maxOpen = _maxOpen;
        double held = 0;
        double peak = rssBefore;
        foreach (var (open, rss) in samples)
        {
            peak = Math.Max(peak, rss);
            if (maxOpen > 0 && open >= maxOpen * 0.98)
            {
                held = Math.Max(held, rss);
            }
        }

        return new StreamLevel
        {
            Streams = streams,
            MaxOpen = maxOpen,
            Complete = complete,
            Failed = streams - complete,
            FirstError = firstError,
            EventsExpected = (long)expected * streams,
            EventsDelivered = delivered,
            MaxStallMs = Math.Round(stalls.Length == 0 ? 0 : stalls[^1], 1),
            P99StallMs = Math.Round(stalls.Length == 0 ? 0 : stalls[Math.Clamp((int)Math.Ceiling(0.99 * stalls.Length) - 1, 0, stalls.Length - 1)], 1),
            RssBeforeMib = Math.Round(rssBefore, 1),
            RssHeldMib = Math.Round(held, 1),
            RssPeakMib = Math.Round(peak, 1),
            KibPerStream = maxOpen > 0 && held > 0 ? Math.Round((held - rssBefore) * 1024 / maxOpen, 1) : 0,
            Seconds = Math.Round(seconds, 1),
            TargetCpuSeconds = cpu.Target,
            UpstreamCpuSeconds = cpu.Upstream,
            ClientCpuSeconds = cpu.Client,
            MachineCpuSeconds = cpu.Machine,
        };
    }

    private async Task SampleAsync(List<(int Open, double Rss)> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (ProcStats.RssMib(target.Pid) is { } rss)
                {
                    samples.Add((Volatile.Read(ref _open), rss));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<StreamOutcome> ReadStreamAsync(HttpMessageInvoker invoker, int tokens, bool paced, int expected,
        CancellationToken cancellationToken)
    {
        var counter = new SseEventCounter();
        long maxGap = 0;
        bool opened = false;
        try
        {
            using var request = RequestSender.CreateRequest(target, _body);
            request.Headers.TryAddWithoutValidation("x-sim-tokens", tokens.ToString(CultureInfo.InvariantCulture));
            if (paced)
            {
                request.Headers.TryAddWithoutValidation("x-sim-tokens-per-second", (1000 / gapMs).ToString(CultureInfo.InvariantCulture));
            }

            using var response = await invoker.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new StreamOutcome(0, 0, $"HTTP {(int)response.StatusCode}");
            }

            opened = true;
            int open = Interlocked.Increment(ref _open);
            int max;
            while (open > (max = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
            {
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            byte[] buffer = new byte[4096];
            long lastEvent = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (counter.Add(buffer.AsSpan(0, read)) > 0)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (lastEvent != 0)
                    {
                        maxGap = Math.Max(maxGap, now - lastEvent);
                    }

                    lastEvent = now;
                }
            }

            if (!counter.EndsWith(DoneMarker))
            {
                return new StreamOutcome(counter.Events, maxGap, "stream ended without data: [DONE]");
            }

            return expected >= 0 && counter.Events != expected
                ? new StreamOutcome(counter.Events, maxGap, $"{counter.Events} events, {expected} expected")
                : new StreamOutcome(counter.Events, maxGap, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return new StreamOutcome(counter.Events, maxGap, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (opened)
            {
                Interlocked.Decrement(ref _open);
            }
        }
    }

    private readonly record struct StreamOutcome(long Events, long MaxGapTicks, string? Error);

    private readonly record struct CpuReading(TimeSpan? Target, TimeSpan? Upstream, TimeSpan? Client, TimeSpan? Machine);

    private readonly record struct CpuUsed(double? Target, double? Upstream, double? Client, double? Machine);
}
