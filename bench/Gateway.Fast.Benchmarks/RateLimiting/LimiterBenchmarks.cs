using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;

namespace Gateway.Fast.Benchmarks.RateLimiting;

/// <summary><see cref="LocalRateLimiter.TryAcquire"/> from 1, 2 and 8 threads against <see cref="FixedWindowRateLimiter"/>; one op is one admitted call.</summary>
/// <remarks>
/// Each invocation makes <see cref="Calls"/> calls split evenly over <see cref="Threads"/> threads that a barrier
/// releases together (the benchmark thread is one of them; the others are created once in setup). Mean is therefore
/// wall time over all calls: with perfect scaling it would halve from 1 to 2 threads on a 2-core machine, and it
/// rises when threads fight over one cache line. <see cref="Keys"/>: <c>Shared</c> is the worst case, every thread
/// on one gateway's counter (and, for the baseline, one limiter and its lock); <c>PerThread</c> gives each thread its
/// own key (its own baseline limiter). Limits are <c>int.MaxValue</c> per minute, so every call is admitted: the
/// CompareExchange path, the expensive one (a denial only reads).
/// </remarks>
[MemoryDiagnoser]
public class LimiterBenchmarks
{
    private const int Calls = 1 << 16;

    private readonly RateLimitPolicy _fixed = new(int.MaxValue, 60, RateLimitingTechnique.Fixed);
    private readonly RateLimitPolicy _sliding = new(int.MaxValue, 60, RateLimitingTechnique.Sliding);
    private LocalRateLimiter _limiter = null!;
    private RateLimitKey[] _keys = [];
    private FixedWindowRateLimiter[] _baselines = [];
    private readonly long[] _sink = new long[8 * 16]; // one cache line apart per thread
    private Barrier? _start, _end;
    private Thread[] _workers = [];
    private volatile Mode _mode;
    private volatile bool _stop;

    public enum KeyMode
    {
        Shared,
        PerThread,
    }

    private enum Mode
    {
        Baseline,
        Fixed,
        Sliding,
    }

    [Params(1, 2, 8)]
    public int Threads { get; set; }

    [Params(KeyMode.Shared, KeyMode.PerThread)]
    public KeyMode Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _limiter = new LocalRateLimiter(TimeProvider.System);
        int distinct = Keys == KeyMode.Shared ? 1 : Threads;
        _keys = new RateLimitKey[distinct];
        _baselines = new FixedWindowRateLimiter[distinct];
        for (int i = 0; i < distinct; i++)
        {
            _keys[i] = RateLimitKey.ForGateway("gateway-" + i);
            _baselines[i] = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = int.MaxValue,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
            _limiter.TryAcquire(_keys[i], _fixed); // the key's one allocation happens here, not in the measurement
        }

        if (Threads > 1)
        {
            _start = new Barrier(Threads);
            _end = new Barrier(Threads);
            _workers = new Thread[Threads - 1];
            for (int t = 1; t < Threads; t++)
            {
                int thread = t;
                _workers[t - 1] = new Thread(() => WorkerLoop(thread)) { IsBackground = true, Name = "limiter-bench-" + t };
                _workers[t - 1].Start();
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_start is not null)
        {
            _stop = true;
            _start.SignalAndWait();
            foreach (var worker in _workers)
            {
                worker.Join();
            }

            _start.Dispose();
            _end!.Dispose();
        }

        foreach (var baseline in _baselines)
        {
            baseline.Dispose();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long FixedWindowRateLimiter() => Run(Mode.Baseline);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Fixed() => Run(Mode.Fixed);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Sliding() => Run(Mode.Sliding);

    private long Run(Mode mode)
    {
        _mode = mode;
        if (_start is null)
        {
            return Work(0, mode);
        }

        _start.SignalAndWait();
        long admitted = Work(0, mode);
        _end!.SignalAndWait();
        return admitted;
    }

    private void WorkerLoop(int thread)
    {
        while (true)
        {
            _start!.SignalAndWait();
            if (_stop)
            {
                return;
            }

            _sink[thread * 16] += Work(thread, _mode);
            _end!.SignalAndWait();
        }
    }

    private long Work(int thread, Mode mode)
    {
        int calls = Calls / Threads;
        int index = Keys == KeyMode.Shared ? 0 : thread;
        long admitted = 0;
        if (mode == Mode.Baseline)
        {
            var limiter = _baselines[index];
            for (int i = 0; i < calls; i++)
            {
                using var lease = limiter.AttemptAcquire();
                admitted += lease.IsAcquired ? 1 : 0;
            }

            return admitted;
        }

        var key = _keys[index];
        var policy = mode == Mode.Fixed ? _fixed : _sliding;
        for (int i = 0; i < calls; i++)
        {
            admitted += _limiter.TryAcquire(key, policy).Allowed ? 1 : 0;
        }

        return admitted;
    }
}
