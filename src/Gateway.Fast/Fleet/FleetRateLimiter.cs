using System.Collections.Concurrent;
using Gateway.Fast.Configuration;
using Gateway.Fast.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>An <see cref="IRateLimiter"/> whose counts live in Redis, so a limit of N holds for the whole fleet, not per replica.</summary>
/// <remarks>
/// <code>
/// request ─► this key's grant has a token for this window? ──yes──► admit (no Redis call, nothing allocated)
///               │ no: a standing denial? ──yes──► 429 with its Retry-After (no Redis call)
///               ▼ no
///            Redis reachable? ──no──► local count against limit / live replicas
///               ▼ yes
///            one RateLimitScript call for all requests waiting on this key ──► new grant ──► take a token, or deny
/// </code>
/// <para><b>Bound</b>: a grant's tokens were counted in Redis before any of them admits, and the script never grants
/// past the limit, so while Redis answers the fleet admits at most the limit per window: no overshoot. The price is
/// budget stranded on a replica that leased tokens and then got no more requests in that window (at most a quarter of
/// what was left when it leased, capped at <see cref="FleetTierOptions.MaxLease"/>, and one token near the limit).</para>
/// <para><b>Redis down</b> (or the breaker open, or a call failing): each replica counts alone against
/// <c>max(1, ⌊limit / live replicas⌋)</c> per window (<see cref="LiveReplicas"/>, last known), in its own
/// <see cref="LocalRateLimiter"/>. What the fleet admitted in Redis before the outage is not known locally, so the
/// window in which Redis goes away may admit up to that share more per replica. Tokens already leased stay valid
/// until their window ends. The next request after Redis returns asks Redis again: healing needs no restart.</para>
/// <para>A grant's validity is measured from when its call was sent, so it ends no later than the Redis window it was
/// counted in; a token is never spent in the next window.</para>
/// </remarks>
public sealed partial class FleetRateLimiter : IRateLimiter
{
    private readonly ConcurrentDictionary<RateLimitKey, Lease> _leases = new();
    private readonly RedisConnection _redis;
    private readonly LiveReplicas _replicas;
    private readonly LocalRateLimiter _fallback;
    private readonly TimeProvider _time;
    private readonly int _maxLease;
    private readonly int _maxCallerKeys;
    private int _callerKeys;
    private long _fallbackDecisions;

    public FleetRateLimiter(RedisConnection redis, LiveReplicas replicas, FleetTierOptions options, TimeProvider time)
        : this(redis, replicas, options, time, LocalRateLimiter.DefaultMaxCallerKeys)
    {
    }

    internal FleetRateLimiter(RedisConnection redis, LiveReplicas replicas, FleetTierOptions options, TimeProvider time, int maxCallerKeys)
    {
        _redis = redis;
        _replicas = replicas;
        _time = time;
        _fallback = new LocalRateLimiter(time);
        _maxLease = Math.Max(1, options.MaxLease);
        _maxCallerKeys = maxCallerKeys;
    }

    /// <summary>Decisions taken by local counting because Redis could not be asked (for tests and <c>/health</c>).</summary>
    public long FallbackDecisions => Interlocked.Read(ref _fallbackDecisions);

    /// <summary>Keys this replica holds a lease for.</summary>
    public int KeyCount => _leases.Count;

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(in RateLimitKey key, in RateLimitPolicy policy)
    {
        if (!policy.IsEnabled)
        {
            return new(RateLimitDecision.Allow);
        }

        var lease = LeaseOf(key);
        if (TryTake(lease, policy, _time.GetTimestamp(), out var decision))
        {
            return new(decision);
        }

        return AcquireSlowAsync(lease, policy);
    }

    /// <summary>Decides from the current grant: a token, or a standing denial. False when Redis must be asked.</summary>
    private bool TryTake(Lease lease, in RateLimitPolicy policy, long now, out RateLimitDecision decision)
    {
        var grant = Volatile.Read(ref lease.Current);
        if (grant is not null && grant.Policy == policy)
        {
            // Read before decrementing, so requests denied for a whole window cannot wrap the count round to positive.
            if (now < grant.ValidUntil && Volatile.Read(ref grant.Tokens) > 0 && Interlocked.Decrement(ref grant.Tokens) >= 0)
            {
                decision = RateLimitDecision.Allow;
                return true;
            }

            if (now < grant.DeniedUntil)
            {
                decision = RateLimitDecision.DenyTicks(TicksOf(grant.DeniedUntil - now));
                return true;
            }
        }

        decision = default;
        return false;
    }

    private async ValueTask<RateLimitDecision> AcquireSlowAsync(Lease lease, RateLimitPolicy policy)
    {
        Interlocked.Increment(ref lease.Waiting);
        try
        {
            // Each round's call leases at least one token per waiting request or denies, so a request loses a round only
            // to newcomers that took the tokens first, and the window's budget bounds how often that can happen.
            while (true)
            {
                Task<bool> refill;
                lock (lease)
                {
                    refill = lease.Refill ??= RefillAsync(lease, policy);
                }

                bool answered = await refill.ConfigureAwait(false);
                lock (lease)
                {
                    if (ReferenceEquals(lease.Refill, refill))
                    {
                        lease.Refill = null;
                    }
                }

                if (!answered)
                {
                    return Fallback(lease.Key, policy);
                }

                if (TryTake(lease, policy, _time.GetTimestamp(), out var decision))
                {
                    return decision;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref lease.Waiting);
        }
    }

    /// <summary>One script call: stores the new grant and returns true, or false when Redis could not be asked or failed.</summary>
    private async Task<bool> RefillAsync(Lease lease, RateLimitPolicy policy)
    {
        if (!_redis.TryGetDatabase(out var db))
        {
            return false;
        }

        long sent = _time.GetTimestamp();
        RateLimitScript.Result result;
        try
        {
            var reply = await db.ScriptEvaluateAsync(RateLimitScript.Source, [lease.RedisKey(policy.IntervalSeconds)],
            [
                policy.Limit, policy.IntervalSeconds * 1000L, policy.Technique == RateLimitingTechnique.Sliding ? 1 : 0,
                Math.Max(1, Volatile.Read(ref lease.Waiting)), 4 * _replicas.Count, _maxLease,
            ]).ConfigureAwait(false);
            result = RateLimitScript.Read(reply);
            _redis.ReportSuccess();
        }
        catch (Exception e)
        {
            _redis.ReportFailure(e);
            return false;
        }

        long remainingTicks = (result.IntervalMs - result.ElapsedMs) * TimeSpan.TicksPerMillisecond;
        long validUntil = sent + TimestampOf(remainingTicks);
        // Tokens the grant being replaced still holds were counted in this same window (it is still valid, and it ends no
        // later than that window): they move to the new grant. Dropping them would strand budget on this replica (a request
        // that found the old grant empty an instant before a refill landed starts another refill).
        int carried = 0;
        if (Volatile.Read(ref lease.Current) is { } old && old.Policy == policy && _time.GetTimestamp() < old.ValidUntil)
        {
            carried = Math.Max(0, Interlocked.Exchange(ref old.Tokens, int.MinValue / 2));
        }

        // A denial stands (no Redis call) until the earliest time Redis could admit again, if nobody else is admitted; tokens
        // carried over are spent first.
        var grant = new Grant(policy, result.Granted + carried, validUntil,
            result.Granted > 0 ? 0 : sent + TimestampOf(WaitTicks(policy, result)));
        Volatile.Write(ref lease.Current, grant);
        return true;
    }

    /// <summary>How long a denial by Redis lasts, with the local limiter's arithmetic on Redis's counts (whole seconds for sliding windows).</summary>
    private static long WaitTicks(in RateLimitPolicy policy, in RateLimitScript.Result result)
    {
        long intervalTicks = result.IntervalMs * TimeSpan.TicksPerMillisecond;
        long elapsedTicks = result.ElapsedMs * TimeSpan.TicksPerMillisecond;
        if (policy.Technique != RateLimitingTechnique.Sliding)
        {
            return intervalTicks - elapsedTicks;
        }

        var wait = LocalRateLimiter.SlidingWait(intervalTicks, elapsedTicks, (uint)policy.Limit,
            (uint)Math.Min(result.Counted, uint.MaxValue), (uint)Math.Min(result.Previous, uint.MaxValue));
        return (long)wait.RetryAfterSeconds * TimeSpan.TicksPerSecond;
    }

    /// <summary>Counts locally against this replica's share of the limit while Redis cannot be asked.</summary>
    private RateLimitDecision Fallback(in RateLimitKey key, in RateLimitPolicy policy)
    {
        Interlocked.Increment(ref _fallbackDecisions);
        int share = Math.Max(1, policy.Limit / Math.Max(1, _replicas.Count));
        return _fallback.TryAcquire(key, new RateLimitPolicy(share, policy.IntervalSeconds, policy.Technique));
    }

    private Lease LeaseOf(in RateLimitKey key)
    {
        if (_leases.TryGetValue(key, out var lease))
        {
            return lease;
        }

        return AddLease(key);
    }

    /// <summary>A new key's lease; past <see cref="LocalRateLimiter.DefaultMaxCallerKeys"/> caller keys, a new caller counts in
    /// its gateway's window, as the local limiter does.</summary>
    private Lease AddLease(RateLimitKey key)
    {
        if (key.Scope == RateLimitScope.Caller)
        {
            if (Interlocked.Increment(ref _callerKeys) > _maxCallerKeys)
            {
                Interlocked.Decrement(ref _callerKeys);
                return _leases.GetOrAdd(RateLimitKey.ForGateway(key.GatewayId), static k => new Lease(k));
            }

            var created = new Lease(key);
            var lease = _leases.GetOrAdd(key, created);
            if (!ReferenceEquals(lease, created))
            {
                Interlocked.Decrement(ref _callerKeys);
            }

            return lease;
        }

        return _leases.GetOrAdd(key, static k => new Lease(k));
    }

    /// <inheritdoc />
    /// <remarks>A lease goes once its window has ended with nobody waiting; a request that raced the sweep and refilled the
    /// removed lease only strands that grant's tokens (they were counted in Redis, so nothing is over-admitted).</remarks>
    public int Sweep()
    {
        long now = _time.GetTimestamp();
        int removed = 0;
        foreach (var (key, lease) in _leases)
        {
            if (lease.IsIdle(now) && _leases.TryRemove(new KeyValuePair<RateLimitKey, Lease>(key, lease)))
            {
                removed++;
                if (key.Scope == RateLimitScope.Caller)
                {
                    Interlocked.Decrement(ref _callerKeys);
                }
            }
        }

        return removed + _fallback.Sweep();
    }

    private long TimestampOf(long ticks) => (long)(ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private long TicksOf(long timestamps) => (long)(timestamps * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency);
}
