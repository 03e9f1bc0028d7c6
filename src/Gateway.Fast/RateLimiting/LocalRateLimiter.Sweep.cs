namespace Gateway.Fast.RateLimiting;

public sealed partial class LocalRateLimiter
{
    /// <summary>Forgets keys with no request for two intervals (deleted gateways, quiet teams); returns how many went.</summary>
    /// <remarks>
    /// A key goes when the newest window it counted ended at least two of its intervals ago: by then neither of its
    /// slots can weigh on a decision, so removing it changes no answer. Meant for one background timer; concurrent
    /// sweeps are safe but pointless. Cold path: enumerating the dictionary allocates.
    /// </remarks>
    public int Sweep()
    {
        long nowSeconds = (_time.GetUtcNow().UtcTicks - UnixEpochTicks) / TicksPerSecond;
        int removed = 0;
        foreach (var (key, state) in _states)
        {
            if (TryRetire(state, nowSeconds) && _states.TryRemove(new KeyValuePair<RateLimitKey, WindowState>(key, state)))
            {
                removed++;
                if (key.Scope == RateLimitScope.Caller)
                {
                    Interlocked.Decrement(ref _callerKeys); // room for a new caller's own window
                }
            }
        }

        return removed;
    }

    /// <summary>Swaps both slots of an idle state to <see cref="WindowState.Retired"/>; false (state untouched) when it is in use.</summary>
    private static bool TryRetire(WindowState state, long nowSeconds)
    {
        long even = Volatile.Read(ref state.Even);
        long odd = Volatile.Read(ref state.Odd);
        if (even == WindowState.Retired || odd == WindowState.Retired)
        {
            return false; // another sweep has it
        }

        long newest = Math.Max(Start(even), Start(odd));
        long interval = Math.Max(1, Volatile.Read(ref state.IntervalSeconds));
        if (nowSeconds < newest + 3 * interval)
        {
            return false; // its newest window ended less than two intervals ago
        }

        // Retire the slot the present window writes first: a live key fails there and nothing needs undoing.
        bool evenFirst = ((ulong)nowSeconds / (ulong)interval & 1) == 0;
        ref long first = ref evenFirst ? ref state.Even : ref state.Odd;
        ref long second = ref evenFirst ? ref state.Odd : ref state.Even;
        long firstSeen = evenFirst ? even : odd;
        long secondSeen = evenFirst ? odd : even;
        if (Interlocked.CompareExchange(ref first, WindowState.Retired, firstSeen) != firstSeen)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref second, WindowState.Retired, secondSeen) != secondSeen)
        {
            // A request counted into the other slot meanwhile: the key is live again. Nobody writes a retired slot,
            // so restoring it cannot lose an update; callers spinning in Reacquire see it and carry on.
            Volatile.Write(ref first, firstSeen);
            return false;
        }

        return true;
    }
}
