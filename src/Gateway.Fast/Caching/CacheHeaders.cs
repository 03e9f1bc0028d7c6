namespace Gateway.Fast.Caching;

/// <summary>Names and values of the cache's request controls and response header (docs/gateway-api.md#request-headers, docs/gateway-api.md#response-headers).</summary>
public static class CacheHeaders
{
    public const string Ttl = "cf-aig-cache-ttl";
    public const string LegacyTtl = "cf-cache-ttl";
    public const string SkipCache = "cf-aig-skip-cache";
    public const string LegacySkipCache = "cf-skip-cache";
    public const string Key = "cf-aig-cache-key";
    public const string Status = "cf-aig-cache-status";

    public const string Hit = "HIT";
    public const string Miss = "MISS";
    public const string Bypass = "BYPASS";

    /// <summary>The <see cref="Status"/> value of a request that was not served from the cache.</summary>
    public static string StatusFor(CacheMode mode) => mode == CacheMode.Bypass ? Bypass : Miss;
}
