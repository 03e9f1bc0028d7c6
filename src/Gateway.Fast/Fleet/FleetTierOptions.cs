namespace Gateway.Fast.Fleet;

/// <summary>How the fleet shares rate limits and cached responses through Redis (<c>Gateway:Redis:RateLimit</c> and
/// <c>Gateway:Redis:Cache</c>); read only in fleet mode.</summary>
public sealed class FleetTierOptions
{
    public const string RateLimitSection = RedisOptions.SectionName + ":RateLimit";

    public const string CacheSection = RedisOptions.SectionName + ":Cache";

    /// <summary>Most requests one replica leases from Redis at once for one key (see <c>FleetRateLimiter</c>); 1 makes every
    /// admitted request a Redis round trip.</summary>
    public int MaxLease { get; set; } = 64;

    /// <summary>How often a replica says it is alive (the count of live replicas shares a limit out while Redis is down).</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Largest cache entry written to Redis. A larger one stays in the local tier only: other replicas MISS on it
    /// and ask the provider themselves. 1 MiB by default: Redis serves every client from one thread, and a multi-megabyte
    /// value holds all of them up while it is copied.</summary>
    public int MaxSharedEntryBytes { get; set; } = 1 << 20;
}
