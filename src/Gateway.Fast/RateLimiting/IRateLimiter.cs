namespace Gateway.Fast.RateLimiting;

/// <summary>Counts requests per key against a policy (admission, docs/design.md#the-request-path).</summary>
/// <remarks>
/// <see cref="LocalRateLimiter"/> counts in this process and always answers synchronously (a completed
/// <see cref="ValueTask{TResult}"/>, nothing allocated). <c>Fleet.FleetRateLimiter</c> counts in Redis for all replicas:
/// it too answers synchronously from a budget leased from Redis, and only waits for Redis when that lease is spent.
/// </remarks>
public interface IRateLimiter
{
    /// <summary>Counts one request for <paramref name="key"/> if <paramref name="policy"/> admits it.</summary>
    /// <remarks>The policy is passed per call, so an edited limit applies to the next request. A disabled policy
    /// (<c>default</c>, limit 0) admits everything. Must not allocate once the key has been seen, unless it waits.</remarks>
    ValueTask<RateLimitDecision> AcquireAsync(in RateLimitKey key, in RateLimitPolicy policy);

    /// <summary>Forgets keys idle long enough that forgetting them changes no answer; returns how many went. Called by one
    /// background timer.</summary>
    int Sweep();
}
