using Gateway.Fast.Configuration;

namespace Gateway.Fast.RateLimiting;

/// <summary>How many requests a key may make per interval, and how the interval is counted.</summary>
/// <remarks>
/// <c>default(RateLimitPolicy)</c> (limit 0) means "no limit": <see cref="IRateLimiter.AcquireAsync"/> admits everything.
/// The interval is whole seconds, as <c>rate_limiting_interval</c> is (docs/gateway-api.md#gateways).
/// </remarks>
public readonly struct RateLimitPolicy : IEquatable<RateLimitPolicy>
{
    public RateLimitPolicy(int limit, int intervalSeconds, RateLimitingTechnique technique = RateLimitingTechnique.Fixed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalSeconds);
        Limit = limit;
        IntervalSeconds = intervalSeconds;
        Technique = technique;
    }

    /// <summary>Requests admitted per interval; 0 only for <c>default</c>, which limits nothing.</summary>
    public int Limit { get; }

    public int IntervalSeconds { get; }

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public RateLimitingTechnique Technique { get; }

    /// <summary>True when the policy limits anything (both numbers &gt; 0).</summary>
    public bool IsEnabled => Limit > 0 && IntervalSeconds > 0;

    /// <summary>The gateway-wide policy of <paramref name="settings"/>; false when rate limiting is off.</summary>
    /// <remarks>Our choice (docs/gateway-api.md#rate-limiting): on when <c>rate_limiting_limit</c> and <c>rate_limiting_interval</c> are both
    /// &gt; 0; a null technique counts as <c>fixed</c>.</remarks>
    public static bool TryGetPolicy(GatewaySettings settings, out RateLimitPolicy policy)
    {
        if (settings.RateLimitingLimit is > 0 and int limit && settings.RateLimitingInterval is > 0 and int interval)
        {
            policy = new RateLimitPolicy(limit, interval, settings.RateLimitingTechnique ?? RateLimitingTechnique.Fixed);
            return true;
        }

        policy = default;
        return false;
    }

    public bool Equals(RateLimitPolicy other)
        => Limit == other.Limit && IntervalSeconds == other.IntervalSeconds && Technique == other.Technique;

    public override bool Equals(object? obj) => obj is RateLimitPolicy other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Limit, IntervalSeconds, Technique);

    public static bool operator ==(RateLimitPolicy left, RateLimitPolicy right) => left.Equals(right);

    public static bool operator !=(RateLimitPolicy left, RateLimitPolicy right) => !left.Equals(right);

    public override string ToString() => $"{Limit}/{IntervalSeconds}s {Technique}";
}
