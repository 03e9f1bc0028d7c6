namespace Gateway.Fast.Caching;

/// <summary>What the cache stage does for one request.</summary>
public enum CacheMode : byte
{
    /// <summary>Caching is off (no TTL, <c>cf-aig-cache-ttl: 0</c>, or an implicit stream): no read, no store; status MISS.</summary>
    Off,

    /// <summary>The request said <c>cf-aig-skip-cache</c>: no read, no store; status BYPASS.</summary>
    Bypass,

    /// <summary>Read the cache; on a miss, store a complete 2xx answer for <see cref="CacheControls.TtlSeconds"/>.</summary>
    On,
}
