namespace Gateway.Fast.RateLimiting;

public sealed partial class LocalRateLimiter
{
    /// <summary>How many caller keys (<see cref="RateLimitScope.Caller"/>) one process tracks at once.</summary>
    /// <remarks>
    /// A caller key is whatever a client puts in <c>cf-aig-rate-limit-key</c>, so a client could mint a new one per
    /// request. Each costs about 300 bytes: the 152-byte state, the dictionary entry, and the value's string (up to
    /// 534 bytes at 256 characters). <see cref="Sweep"/> forgets a key about two intervals after its last request, which
    /// bounds the set by the distinct values seen in that time; this cap bounds it outright, at 30–80 MB. Past it, a new
    /// value is counted in its gateway-wide window, as if the header were absent, until a sweep frees room; callers
    /// already tracked keep their own windows.
    /// </remarks>
    public const int DefaultMaxCallerKeys = 100_000;

    private readonly int _maxCallerKeys;
    private int _callerKeys;

    /// <summary>Caller keys currently tracked (for tests and metrics).</summary>
    public int CallerKeyCount => Volatile.Read(ref _callerKeys);

    /// <summary>The state of a caller key not found in the dictionary: a new one if there is room, else its gateway's.</summary>
    private WindowState GetOrAddCaller(in RateLimitKey key)
    {
        WindowState? created = null;
        while (true)
        {
            if (_states.TryGetValue(key, out var state))
            {
                return state;
            }

            // Reserve a place before adding, so racing callers can never take more than the cap between them.
            if (Interlocked.Increment(ref _callerKeys) > _maxCallerKeys)
            {
                Interlocked.Decrement(ref _callerKeys);
                return _states.GetOrAdd(RateLimitKey.ForGateway(key.GatewayId), static _ => new WindowState());
            }

            created ??= new WindowState();
            if (_states.TryAdd(key, created))
            {
                return created;
            }

            Interlocked.Decrement(ref _callerKeys); // another request added this key first: use its state
        }
    }
}
