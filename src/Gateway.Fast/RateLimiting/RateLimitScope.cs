namespace Gateway.Fast.RateLimiting;

/// <summary>What a <see cref="RateLimitKey"/> counts: a whole gateway, or one team, API key or caller inside it.</summary>
public enum RateLimitScope : byte
{
    /// <summary>Gateway-wide <c>rate_limiting_limit</c> (docs/gateway-api.md#rate-limiting).</summary>
    Gateway,

    /// <summary>One team of a gateway (roadmap step 5).</summary>
    Team,

    /// <summary>One API key of a gateway (roadmap step 5).</summary>
    ApiKey,

    /// <summary>One caller of a gateway, named by the request's <c>cf-aig-rate-limit-key</c>: the gateway's limit, counted per value.</summary>
    Caller,
}
