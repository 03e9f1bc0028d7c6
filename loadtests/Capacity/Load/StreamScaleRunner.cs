using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Capacity.Model;

namespace Capacity.Load;

/// <summary>
/// Streams at scale: opens N streams at a steady rate, each paced by the simulator (one event every gap), long enough that
/// all N are open together for the hold time; checks that every stream delivered every event and ended in <c>[DONE]</c>,
/// records each stream's longest silence, and samples the target's RSS (and its managed heap, where it has a
/// <c>/health</c> that reports one) throughout.
/// </summary>
internal sealed class StreamScaleRunner(Target target, int gapMs, int openRate, double holdSeconds)
{
    private static readonly byte[] DoneMarker = "data: [DONE]"u8.ToArray();
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettleAfter = TimeSpan.FromSeconds(2);

    /// <summary>The managed heap is read less often, in a loop of its own: a <c>/health</c> call is one more request to the
    /// target, and a busy target that answers it slowly must not hold back the RSS samples.</summary>
    private static readonly TimeSpan HeapEvery = TimeSpan.FromMilliseconds(500);

    private readonly byte[] _body = File.ReadAllBytes(target.StreamBody ?? target.Body);
    private int _pid = target.Pid;
    private int? _upstreamPid = target.UpstreamPid;
    private bool _fresh;
    private int _open;
    private int _maxOpen;

    /// <summary>The processes were started afresh (a <c>process=pid</c> map): read the new ones from here on.</summary>
    public void UseRestarted(IReadOnlyDictionary<string, int> pids)
    {
        _fresh = true;
        _pid = pids.GetValueOrDefault(target.Process, _pid);
        if (_upstreamPid is not null && pids.TryGetValue(target.UpstreamProcess, out int upstream))
        {
            _upstreamPid = upstream;
        }
    }

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
        var samples = new List<Sample>();
        var heapSamples = new List<Sample>();
        using var health = target.HealthUrl is null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        double rssBefore = ProcStats.RssMib(_pid) ?? 0;
        double? heapBefore = await HeapMibAsync(health);
        using var stopSampling = new CancellationTokenSource();
        Task sampler = SampleAsync(samples, stopSampling.Token);
        Task heapSampler = health is null ? Task.CompletedTask : SampleHeapAsync(heapSamples, health, stopSampling.Token);

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
        await heapSampler;
        samples.AddRange(heapSamples);

        return Summarise(streams, expected, outcomes, samples, rssBefore, heapBefore, seconds, cpu);
    }

    /// <summary>CPU time so far of the target, its upstream, this client and the whole machine.</summary>
    private CpuReading CpuNow() =>
        new(ProcStats.CpuTime(_pid), _upstreamPid is { } upstream ? ProcStats.CpuTime(upstream) : null,
            Process.GetCurrentProcess().TotalProcessorTime, ProcStats.MachineBusyTime());

    private static CpuUsed Used(CpuReading before, CpuReading after)
    {
        static double? Seconds(TimeSpan? a, TimeSpan? b) => a is { } x && b is { } y ? Math.Round((y - x).TotalSeconds, 2) : null;
        return new(Seconds(before.Target, after.Target), Seconds(before.Upstream, after.Upstream),
            Seconds(before.Client, after.Client), Seconds(before.Machine, after.Machine));
    }

    private StreamLevel Summarise(int streams, int expected, StreamOutcome[] outcomes, List<Sample> samples,
        double rssBefore, double? heapBefore, double seconds, CpuUsed cpu)
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
        double? heapHeld = null;
        foreach (var (open, rss, heap) in samples)
        {
            bool allOpen = maxOpen > 0 && open >= maxOpen * 0.98;
            if (heap is { } h)
            {
                heapHeld = allOpen ? Math.Max(heapHeld ?? 0, h) : heapHeld;
                continue;
            }

            peak = Math.Max(peak, rss);
            held = allOpen ? Math.Max(held, rss) : held;
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
            HeapBeforeMib = heapBefore is { } hb ? Math.Round(hb, 1) : null,
            HeapHeldMib = heapHeld is { } hh ? Math.Round(hh, 1) : null,
            HeapKibPerStream = maxOpen > 0 && heapBefore is { } b && heapHeld is { } a ? Math.Round((a - b) * 1024 / maxOpen, 1) : null,
            FreshProcess = _fresh,
            Seconds = Math.Round(seconds, 1),
            TargetCpuSeconds = cpu.Target,
            UpstreamCpuSeconds = cpu.Upstream,
            ClientCpuSeconds = cpu.Client,
            MachineCpuSeconds = cpu.Machine,
        };
    }

    private async Task SampleAsync(List<Sample> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (ProcStats.RssMib(_pid) is { } rss)
                {
                    samples.Add(new Sample(Volatile.Read(ref _open), rss, null));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Heap samples carry the count of open streams when the call left, and no RSS.</summary>
    private async Task SampleHeapAsync(List<Sample> samples, HttpClient health, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(HeapEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                int open = Volatile.Read(ref _open);
                if (await HeapMibAsync(health) is { } heap)
                {
                    samples.Add(new Sample(open, 0, heap));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The target's managed heap after its last collection (<c>memory.managed_heap_bytes</c> of its /health), or null.</summary>
    private async Task<double?> HeapMibAsync(HttpClient? health)
    {
        if (health is null)
        {
            return null;
        }

        try
        {
            await using var body = await health.GetStreamAsync(target.HealthUrl);
            using var json = await JsonDocument.ParseAsync(body);
            return json.RootElement.TryGetProperty("memory", out var memory) && memory.TryGetProperty("managed_heap_bytes", out var heap)
                ? heap.GetInt64() / (1024.0 * 1024)
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException)
        {
            return null; // a busy target that cannot answer in time: this sample has no heap figure
        }
    }

    private readonly record struct Sample(int Open, double Rss, double? Heap);

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
