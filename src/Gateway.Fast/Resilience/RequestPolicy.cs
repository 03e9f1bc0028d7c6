using Gateway.Fast.Configuration;

namespace Gateway.Fast.Resilience;

/// <summary>The timeout and retry rules in force for one request (or one Universal step), merged once by <see cref="PolicyResolver"/>.</summary>
public readonly struct RequestPolicy
{
    public RequestPolicy(int timeoutMs, int maxAttempts, int retryDelayMs, RetryBackoff backoff)
    {
        TimeoutMs = Math.Max(1, timeoutMs);
        MaxAttempts = Math.Clamp(maxAttempts, PolicyResolver.MinAttempts, PolicyResolver.MaxAttempts);
        RetryDelayMs = Math.Clamp(retryDelayMs, 0, PolicyResolver.MaxRetryDelayMs);
        Backoff = backoff;
    }

    /// <summary>Milliseconds to the upstream's response headers (first byte); a streamed body may run longer (docs/gateway-api.md#timeouts-retries-and-fallbacks).</summary>
    public int TimeoutMs { get; }

    /// <summary>Total attempts, 1–5; 1 means no retry (docs/gateway-api.md#timeouts-retries-and-fallbacks).</summary>
    public int MaxAttempts { get; }

    /// <summary>Base delay <c>d</c> before a retry, 0–5,000 ms.</summary>
    public int RetryDelayMs { get; }

    public RetryBackoff Backoff { get; }

    /// <summary>True when attempt <paramref name="attempt"/> (1-based) may be followed by another.</summary>
    public bool HasAttemptAfter(int attempt) => attempt < MaxAttempts;

    /// <summary>The wait before retry <paramref name="retry"/> (1 = the first retry, i.e. before attempt 2), ignoring any <c>Retry-After</c>.</summary>
    public TimeSpan DelayBeforeRetry(int retry) => TimeSpan.FromMilliseconds(Resilience.Backoff.DelayMs(Backoff, RetryDelayMs, retry));

    /// <summary>The first-byte timeout of one attempt.</summary>
    /// <remarks>
    /// Cloudflare's final attempt waits for completion regardless of time; unlike Cloudflare's gateway, only the last step of a Universal
    /// chain (<paramref name="waitsOnFinalAttempt"/> true), where no fallback is left to move to. That attempt gets the
    /// larger of the request timeout and <paramref name="processTimeoutMs"/> (<c>Gateway:UpstreamTimeoutMs</c>), so it is
    /// still bounded: a hung upstream must not hold a connection forever. Provider-native routes pass false: their
    /// timeout is an error the caller asked for (docs/gateway-api.md#timeouts-retries-and-fallbacks).
    /// </remarks>
    public int AttemptTimeoutMs(int attempt, bool waitsOnFinalAttempt, int processTimeoutMs)
        => waitsOnFinalAttempt && attempt >= MaxAttempts ? Math.Max(TimeoutMs, processTimeoutMs) : TimeoutMs;

    public override string ToString() => $"timeout={TimeoutMs}ms attempts={MaxAttempts} delay={RetryDelayMs}ms backoff={Backoff}";
}
