namespace Gateway.Fast.RateLimiting;

/// <summary>Counts requests per key against a policy (admission, docs/design.md#the-request-path).</summary>
/// <remarks>
/// <see cref="LocalRateLimiter"/> counts in this process; a shared implementation for replicas (docs/design.md#where-state-lives) would slot in
/// behind the same call. Synchronous on purpose: the local check is a few atomics and returns at once; how a Redis
/// limiter avoids a round trip per request (for example a locally reserved budget) is left to that implementation.
/// </remarks>
public interface IRateLimiter
{
    /// <summary>Counts one request for <paramref name="key"/> if <paramref name="policy"/> admits it.</summary>
    /// <remarks>The policy is passed per call, so an edited limit applies to the next request. A disabled policy
    /// (<c>default</c>, limit 0) admits everything. Must not allocate once the key has been seen.</remarks>
    RateLimitDecision TryAcquire(in RateLimitKey key, in RateLimitPolicy policy);
}
