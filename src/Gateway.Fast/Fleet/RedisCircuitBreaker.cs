namespace Gateway.Fast.Fleet;

/// <summary>Keeps callers off a Redis that fails: after <c>failures</c> failures in a row it opens for <c>openFor</c>, then lets
/// one call through to probe; the probe's success closes it, its failure opens it again.</summary>
/// <remarks>
/// Lock-free: the state is one timestamp (0 = closed). The half-open probe is whoever moves that timestamp forward first,
/// so a probe that never reports back (its caller gave up) only delays the next probe by one period instead of wedging
/// the breaker open.
/// </remarks>
internal sealed class RedisCircuitBreaker(TimeProvider time, int failures, TimeSpan openFor)
{
    private readonly long _openTicks = (long)(openFor.TotalSeconds * time.TimestampFrequency);
    private readonly int _threshold = Math.Max(1, failures);
    private long _openUntil;
    private int _failures;

    /// <summary>True while calls are refused (open, and its period not yet over).</summary>
    public bool IsOpen
    {
        get
        {
            long until = Volatile.Read(ref _openUntil);
            return until != 0 && time.GetTimestamp() < until;
        }
    }

    /// <summary>True when the breaker has tripped and not yet seen a success (open or half-open).</summary>
    public bool Tripped => Volatile.Read(ref _openUntil) != 0;

    /// <summary>Whether a call may go to Redis now; in the half-open state, true for exactly one caller per period.</summary>
    public bool TryEnter()
    {
        long until = Volatile.Read(ref _openUntil);
        if (until == 0)
        {
            return true;
        }

        long now = time.GetTimestamp();
        return now >= until && Interlocked.CompareExchange(ref _openUntil, now + _openTicks, until) == until;
    }

    public void Success()
    {
        if (Volatile.Read(ref _failures) != 0)
        {
            Volatile.Write(ref _failures, 0);
        }

        if (Volatile.Read(ref _openUntil) != 0)
        {
            Volatile.Write(ref _openUntil, 0);
        }
    }

    public void Failure()
    {
        // A failed probe (already tripped) reopens at once; otherwise count towards the threshold.
        if (Tripped || Interlocked.Increment(ref _failures) >= _threshold)
        {
            Trip();
        }
    }

    /// <summary>Opens the breaker for one period (the connection reported itself lost).</summary>
    public void Trip() => Volatile.Write(ref _openUntil, time.GetTimestamp() + _openTicks);
}
