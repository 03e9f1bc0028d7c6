using Gateway.Fast.Errors;

namespace Gateway.Fast.Resilience;

/// <summary>Decides, after one attempt, whether to try the same upstream again or the next Universal step (our choice, docs/gateway-api.md#timeouts-retries-and-fallbacks).</summary>
/// <remarks>
/// An outcome is either an upstream status (error = <see cref="GatewayError.None"/>) or a gateway
/// error with no status. <c>responseStarted</c> means a byte (status line included) reached the client: the answer is
/// then fixed and nothing may be retried or replaced (docs/design.md#the-request-path).
/// <code>
///                          retry (same step)   fall back (next step)
/// 2xx                      no                  no
/// 429, 5xx                 yes                 yes
/// other 1xx/3xx/4xx        no                  yes
/// UpstreamUnavailable      yes                 yes
/// UpstreamTimeout          yes                 yes
/// ClientClosed             no                  no      (nobody left to answer)
/// other GatewayError       no                  yes     (e.g. a step naming an unknown provider)
/// responseStarted          no                  no
/// </code>
/// </remarks>
public static class RetryClassifier
{
    /// <summary>True when the same upstream should be tried again (attempts permitting).</summary>
    public static bool ShouldRetry(int status, GatewayError error, bool responseStarted)
    {
        if (responseStarted)
        {
            return false;
        }

        return error switch
        {
            GatewayError.None => IsRetryableStatus(status),
            GatewayError.UpstreamUnavailable or GatewayError.UpstreamTimeout => true,
            _ => false,
        };
    }

    /// <summary>True when a Universal chain should move on to its next step (when there is one).</summary>
    public static bool ShouldFallBack(int status, GatewayError error, bool responseStarted)
    {
        if (responseStarted)
        {
            return false;
        }

        return error switch
        {
            GatewayError.None => status is < 200 or > 299,
            GatewayError.ClientClosed => false,
            _ => true,
        };
    }

    /// <summary>429 and every 5xx: the upstream may answer differently a moment later.</summary>
    public static bool IsRetryableStatus(int status) => status == 429 || status is >= 500 and <= 599;
}
