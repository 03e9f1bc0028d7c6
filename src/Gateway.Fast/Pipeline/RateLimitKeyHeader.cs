using Gateway.Fast.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Pipeline;

/// <summary>Reads <c>cf-aig-rate-limit-key</c>: with it, the gateway's rate limit counts per caller instead of gateway-wide.</summary>
/// <remarks>
/// <para>A request with the header is counted in the window of (gateway, header value), each value its own
/// <c>rate_limiting_limit</c> per <c>rate_limiting_interval</c>, fixed or sliding as the gateway says; without it, in
/// the gateway-wide window as before. A keyed request does not also count in the gateway-wide window: the header exists
/// so that one user's burst does not rate-limit everyone else.</para>
/// <para>Like the other <c>cf-aig-*</c> controls (docs/gateway-api.md#request-headers; our choice), an invalid value is ignored rather than
/// refused: sent twice, empty, longer than <see cref="MaxLength"/>, or holding a character outside printable ASCII, the
/// request counts in the gateway-wide window. The length bound keeps what the limiter retains per caller small; the
/// limiter itself bounds how many callers it tracks (<see cref="LocalRateLimiter"/>).</para>
/// <para>On the Universal Endpoint the request is still counted once, before any step runs (docs/gateway-api.md#rate-limiting: never
/// retried or fallen back from), in the window of the outer request's header, else of the first step whose
/// <c>headers</c> carry a valid one (the steps of one request come from one caller). A step's copy is, like every
/// <c>cf-aig-*</c> header, not forwarded.</para>
/// </remarks>
internal static class RateLimitKeyHeader
{
    public const string Name = "cf-aig-rate-limit-key";

    /// <summary>Room for an e-mail address (254) or any usual user id; a longer value is ignored.</summary>
    public const int MaxLength = 256;

    /// <summary>The counter this request is limited in: (gateway, caller key) when the header is valid, else the gateway's.</summary>
    /// <remarks>No allocation: the key holds the header's string, which Kestrel has already made.</remarks>
    public static RateLimitKey KeyFor(string gatewayId, IHeaderDictionary headers) => KeyFor(gatewayId, headers, null);

    /// <summary>As <see cref="KeyFor(string, IHeaderDictionary)"/> for a Universal request: the outer header, else the first
    /// step's valid one, else the gateway's window.</summary>
    public static RateLimitKey KeyFor(string gatewayId, IHeaderDictionary headers, IReadOnlyList<Universal.UniversalStep>? steps)
    {
        if (TryRead(headers, out var caller))
        {
            return RateLimitKey.ForCaller(gatewayId, caller);
        }

        for (int i = 0; steps is not null && i < steps.Count; i++)
        {
            foreach (var (name, value) in steps[i].Headers)
            {
                if (name.Equals(Name, StringComparison.OrdinalIgnoreCase) && IsValid(value))
                {
                    return RateLimitKey.ForCaller(gatewayId, value);
                }
            }
        }

        return RateLimitKey.ForGateway(gatewayId);
    }

    /// <summary>The caller key when the request carries exactly one valid value.</summary>
    public static bool TryRead(IHeaderDictionary headers, out string caller)
    {
        var values = headers[Name];
        if (values.Count == 1 && values[0] is { } value && IsValid(value))
        {
            caller = value;
            return true;
        }

        caller = string.Empty;
        return false;
    }

    /// <summary>1 to <see cref="MaxLength"/> characters, each printable ASCII (space to <c>~</c>).</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
