using System.Collections.Concurrent;

namespace Gateway.Fast.Caching;

/// <summary>
/// The cacheable requests now on their way to a provider, one per cache key, so identical requests wait for the first
/// instead of each calling the provider (no stampede), and a request that arrives as the first one's answer is being
/// stored still reads it (read your own writes).
/// </summary>
/// <remarks>
/// <code>
/// MISS  → TryLead(key): no flight for the key → this request leads it (a new CacheFlight), goes upstream, stores,
///         then Land()s the flight; a flight exists → its Task, which the request awaits before looking up again
/// Land  → the flight leaves the table first, then its waiters wake: each looks the key up again, so they get the
///         stored entry (HIT), or, when the leader stored nothing (an error status, a cut stream), one of them wins
///         TryLead and goes to the provider while the others wait on it; when the answer was whole but uncacheable
///         (Land(uncacheable: true)), every waiter goes to the provider at once
/// </code>
/// Waiters are answered at the end: a stream is replayed from the stored entry once the leader's stream has ended,
/// not event by event as it arrives. One flight object per cacheable MISS; a HIT and an uncached request touch
/// nothing here. Embedded per process: replicas keep a table each.
/// </remarks>
public sealed class CacheFlights
{
    private readonly ConcurrentDictionary<CacheKey, CacheFlight> _flights = new();
    private int _waiting;

    /// <summary>Flights in progress.</summary>
    public int Count => _flights.Count;

    /// <summary>Requests now waiting for another's flight to land.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Leads the flight of <paramref name="key"/> (true, <paramref name="flight"/> set, to be landed by the
    /// caller) or finds the one in progress (false, <paramref name="inFlight"/> completes when it lands).</summary>
    public bool TryLead(in CacheKey key, out CacheFlight? flight, out Task<bool>? inFlight)
    {
        while (true)
        {
            if (_flights.TryGetValue(key, out var existing))
            {
                flight = null;
                inFlight = existing.Task;
                return false;
            }

            var created = new CacheFlight(this, key);
            if (_flights.TryAdd(key, created))
            {
                flight = created;
                inFlight = null;
                return true;
            }
        }
    }

    /// <summary>Waits for a flight found by <see cref="TryLead"/> to land, or for the caller to leave (no exception then).</summary>
    /// <returns>True when the caller should go to the provider without leading: the landed answer was uncacheable, or the
    /// caller left (its call upstream is then cancelled at once). False: look the key up again.</returns>
    public async ValueTask<bool> WaitAsync(Task<bool> inFlight, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await ((Task)inFlight).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        return cancellationToken.IsCancellationRequested || (inFlight.IsCompletedSuccessfully && inFlight.Result);
    }

    internal void Remove(CacheFlight flight) => _flights.TryRemove(new KeyValuePair<CacheKey, CacheFlight>(flight.Key, flight));
}

/// <summary>One request's call to the provider for a cache key; its waiters await <see cref="Task"/>.</summary>
public sealed class CacheFlight
{
    private readonly CacheFlights _owner;

    // Continuations run on the pool, never inline in Land: the leader goes on to complete its own response at once.
    private readonly TaskCompletionSource<bool> _landed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CacheFlight(CacheFlights owner, CacheKey key)
    {
        _owner = owner;
        Key = key;
    }

    public CacheKey Key { get; }

    /// <summary>Completes when the leader has stored its answer or given up; true when the answer was one the cache
    /// cannot hold (a 2xx stream the request did not ask to cache, an entry over the size limit), so each waiter goes
    /// to the provider itself rather than queueing behind one leader after another.</summary>
    public Task<bool> Task => _landed.Task;

    /// <summary>Ends the flight: off the table, then the waiters wake. Idempotent: the first call decides.</summary>
    /// <param name="uncacheable">The answer was whole but cannot be cached (see <see cref="Task"/>).</param>
    public void Land(bool uncacheable = false)
    {
        _owner.Remove(this);
        _landed.TrySetResult(uncacheable);
    }
}
