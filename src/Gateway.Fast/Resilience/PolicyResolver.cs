using System.Globalization;
using Gateway.Fast.Configuration;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Resilience;

/// <summary>Merges the timeout and retry controls of a request once, field by field (docs/gateway-api.md#precedence-of-controls).</summary>
/// <remarks>
/// <code>
/// each field:  step config  >  step headers (cf-aig-*)  >  request cf-aig-* headers  >  gateway settings  >  default
/// defaults:    timeout = Gateway:UpstreamTimeoutMs, attempts = 1 (no retry), delay = 0 ms, backoff = constant
/// </code>
/// The defaults are our choice: we retry only when a request or gateway asks for it ("1 = no retry"), and a
/// delay nobody set is no delay. Each field falls through on its own: a step that sets only <c>maxAttempts</c> still
/// takes its delay from the headers or the gateway.
/// Numbers: integers (leading sign and surrounding spaces allowed). Attempts out of 1–5 and delays out of 0–5,000 are
/// clamped to those bounds, a timeout must be &gt; 0; anything else, a header given twice included, is ignored
/// (docs/gateway-api.md#request-headers). Reading headers allocates nothing.
/// </remarks>
public static class PolicyResolver
{
    public const string MaxAttemptsHeader = "cf-aig-max-attempts";
    public const string RetryDelayHeader = "cf-aig-retry-delay";
    public const string BackoffHeader = "cf-aig-backoff";
    public const string RequestTimeoutHeader = ControlHeaders.RequestTimeout;

    /// <summary>Fewest total attempts: 1 = no retry.</summary>
    public const int MinAttempts = 1;

    /// <summary>Most total attempts (Cloudflare's documented maximum).</summary>
    public const int MaxAttempts = 5;

    /// <summary>Largest base delay (Cloudflare's documented maximum).</summary>
    public const int MaxRetryDelayMs = 5_000;

    public static RequestPolicy Resolve(GatewaySettings gateway, IHeaderDictionary headers, in StepConfig? step, GatewayOptions options,
        IReadOnlyList<KeyValuePair<string, string>>? stepHeaders = null)
    {
        StepConfig config = step.GetValueOrDefault();

        int timeout = config.RequestTimeoutMs is > 0 and int t ? t
            : TryTimeout(Find(stepHeaders, RequestTimeoutHeader), out t) || TryTimeout(Single(headers, RequestTimeoutHeader), out t) ? t
            : gateway.RequestTimeout ?? options.UpstreamTimeoutMs;

        int attempts = config.MaxAttempts is int a ? a
            : TryInteger(Find(stepHeaders, MaxAttemptsHeader), out a) || TryInteger(Single(headers, MaxAttemptsHeader), out a) ? a
            : gateway.RetryMaxAttempts ?? MinAttempts;

        int delay = config.RetryDelayMs is int d ? d
            : TryInteger(Find(stepHeaders, RetryDelayHeader), out d) || TryInteger(Single(headers, RetryDelayHeader), out d) ? d
            : gateway.RetryDelay ?? 0;

        RetryBackoff backoff = config.Backoff is RetryBackoff b ? b
            : TryBackoff(Find(stepHeaders, BackoffHeader), out b) || TryBackoff(Single(headers, BackoffHeader), out b) ? b
            : gateway.RetryBackoff ?? RetryBackoff.Constant;

        return new RequestPolicy(timeout, attempts, delay, backoff); // the constructor clamps
    }

    /// <summary>An integer, saturated to the <see cref="int"/> range so that "99999999999" still clamps to the top bound.</summary>
    public static bool TryInteger(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed))
        {
            return false;
        }

        value = (int)Math.Clamp(parsed, int.MinValue, int.MaxValue);
        return true;
    }

    /// <summary><c>constant</c>, <c>linear</c> or <c>exponential</c>, any case.</summary>
    public static bool TryBackoff(ReadOnlySpan<char> text, out RetryBackoff value)
    {
        text = text.Trim();
        if (text.Equals("constant", StringComparison.OrdinalIgnoreCase))
        {
            value = RetryBackoff.Constant;
            return true;
        }

        if (text.Equals("linear", StringComparison.OrdinalIgnoreCase))
        {
            value = RetryBackoff.Linear;
            return true;
        }

        if (text.Equals("exponential", StringComparison.OrdinalIgnoreCase))
        {
            value = RetryBackoff.Exponential;
            return true;
        }

        value = default;
        return false;
    }

    private static bool TryTimeout(ReadOnlySpan<char> text, out int value) => TryInteger(text, out value) && value > 0;

    private static ReadOnlySpan<char> Single(IHeaderDictionary headers, string name)
    {
        StringValues raw = headers[name];
        return raw.Count == 1 ? raw[0].AsSpan() : default;
    }

    private static ReadOnlySpan<char> Find(IReadOnlyList<KeyValuePair<string, string>>? headers, string name)
    {
        if (headers is null)
        {
            return default;
        }

        ReadOnlySpan<char> found = default;
        int count = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                found = header.Value;
                count++;
            }
        }

        return count == 1 ? found : default; // given twice is ambiguous, like a repeated request header
    }
}
