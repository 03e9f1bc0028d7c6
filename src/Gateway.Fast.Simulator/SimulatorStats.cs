using System.Runtime.CompilerServices;

namespace Gateway.Fast.Simulator;

/// <summary>Counters shared by the request handler and <see cref="SimulatorHost"/>.</summary>
internal sealed class SimulatorStats
{
    private readonly SemaphoreSlim _clientAborts = new(0);
    private long _requests;
    private long _aborted;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox<long>> _failKeys = new(StringComparer.Ordinal);

    /// <summary>How many requests have carried this <c>x-sim-fail-key</c>, this one included.</summary>
    public long CountFailKey(string key) => Interlocked.Increment(ref _failKeys.GetOrAdd(key, static _ => new StrongBox<long>()).Value);

    public long RequestCount => Volatile.Read(ref _requests);

    public long ClientAbortCount => Volatile.Read(ref _aborted);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>A client (the gateway, in tests) went away while a response was delayed, paced or stalled.</summary>
    public void CountClientAbort()
    {
        Interlocked.Increment(ref _aborted);
        _clientAborts.Release();
    }

    /// <summary>Completes when the next client abort is observed (each abort is handed out once).</summary>
    public Task WaitForClientAbortAsync(CancellationToken cancellationToken) => _clientAborts.WaitAsync(cancellationToken);
}
