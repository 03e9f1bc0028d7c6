namespace Gateway.Fast.RateLimiting;

/// <summary>The answer of <see cref="IRateLimiter.AcquireAsync"/>: admitted, or denied with a <c>Retry-After</c> in whole seconds.</summary>
/// <remarks>A denial is an expected outcome (429, code 2003, docs/gateway-api.md#rate-limiting), so it is a value, never an exception.</remarks>
public readonly struct RateLimitDecision
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    private RateLimitDecision(bool allowed, int retryAfterSeconds)
    {
        Allowed = allowed;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>An admitted request.</summary>
    public static RateLimitDecision Allow => new(true, 0);

    public bool Allowed { get; }

    /// <summary>The <c>Retry-After</c> header value: 0 when allowed, otherwise ≥ 1.</summary>
    public int RetryAfterSeconds { get; }

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(RetryAfterSeconds);

    /// <summary>A denial after which a retry in <paramref name="wait"/> may succeed; rounded up to whole seconds, at least 1.</summary>
    public static RateLimitDecision Deny(TimeSpan wait) => DenyTicks(wait.Ticks);

    internal static RateLimitDecision DenyTicks(long waitTicks)
    {
        long seconds = waitTicks <= TicksPerSecond ? 1 : (waitTicks - 1) / TicksPerSecond + 1; // ceil, ≥ 1
        return new(false, seconds > int.MaxValue ? int.MaxValue : (int)seconds);
    }

    public override string ToString() => Allowed ? "Allowed" : $"Denied, retry after {RetryAfterSeconds} s";
}
