using System.Globalization;
using System.Net.Http.Headers;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Resilience;

/// <summary>How long to wait before a retry: the backoff formula of docs/gateway-api.md#timeouts-retries-and-fallbacks, lengthened by an upstream <c>Retry-After</c>.</summary>
/// <remarks>
/// <code>
/// retry n (n = 1 before attempt 2):  constant d  |  linear d·n  |  exponential d·2^(n−1);  then min(…, 30 s)
/// 429 or 503 with Retry-After r:     max(backoff, min(r, 30 s))
/// </code>
/// With the documented bounds (d ≤ 5 s, ≤ 4 retries) only exponential can pass the cap (d·8 = 40 s for the 4th retry);
/// 30 s keeps the worst request — four retries, each capped — within two minutes of waiting, the default first-byte
/// timeout. <c>Retry-After</c> only ever lengthens the wait: an upstream asking for less than our backoff still gets
/// the backoff, and one asking for an hour gets 30 s, not an hour of a client's open connection.
/// </remarks>
public static class Backoff
{
    /// <summary>Longest wait computed from the backoff formula.</summary>
    public const int MaxDelayMs = 30_000;

    /// <summary>Longest wait an upstream's <c>Retry-After</c> can ask for.</summary>
    public const int MaxRetryAfterMs = 30_000;

    /// <summary>The formula's wait before retry <paramref name="retry"/> (1-based), in ms, capped at <see cref="MaxDelayMs"/>.</summary>
    public static int DelayMs(RetryBackoff mode, int baseDelayMs, int retry)
    {
        if (baseDelayMs <= 0 || retry <= 0)
        {
            return 0;
        }

        long d = baseDelayMs;
        long delay = mode switch
        {
            RetryBackoff.Linear => d * retry,
            RetryBackoff.Exponential => retry > 20 ? MaxDelayMs : d << (retry - 1), // 2^20 · 5,000 already passes the cap
            _ => d,
        };
        return (int)Math.Min(delay, MaxDelayMs);
    }

    /// <summary>The wait before retry <paramref name="retry"/> after an answer with <paramref name="status"/> (0 when there was none).</summary>
    public static TimeSpan NextDelay(in RequestPolicy policy, int retry, int status, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        int ms = DelayMs(policy.Backoff, policy.RetryDelayMs, retry);
        if ((status == 429 || status == 503) && TryRetryAfterMs(retryAfter, now, out int asked))
        {
            ms = Math.Max(ms, asked);
        }

        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>A parsed <c>Retry-After</c> (seconds, or an HTTP date relative to <paramref name="now"/>), capped at <see cref="MaxRetryAfterMs"/>.</summary>
    public static bool TryRetryAfterMs(RetryConditionHeaderValue? value, DateTimeOffset now, out int ms)
    {
        ms = 0;
        if (value?.Delta is TimeSpan delta)
        {
            ms = ToCappedMs(delta);
            return true;
        }

        if (value?.Date is DateTimeOffset date)
        {
            ms = ToCappedMs(date - now);
            return true;
        }

        return false;
    }

    /// <summary>The same for the header's raw text: <c>120</c> or <c>Wed, 21 Oct 2015 07:28:00 GMT</c>.</summary>
    public static bool TryRetryAfterMs(ReadOnlySpan<char> text, DateTimeOffset now, out int ms)
    {
        ms = 0;
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            ms = seconds >= MaxRetryAfterMs / 1000 ? MaxRetryAfterMs : (int)seconds * 1000;
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            ms = ToCappedMs(date - now);
            return true;
        }

        return false;
    }

    /// <summary>Waits <paramref name="delay"/> on <paramref name="time"/>; completes at once for zero. Cancelled when the client leaves.</summary>
    public static Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
        => delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);

    private static int ToCappedMs(TimeSpan span)
        => span <= TimeSpan.Zero ? 0 : span.TotalMilliseconds >= MaxRetryAfterMs ? MaxRetryAfterMs : (int)span.TotalMilliseconds;
}
