using Gateway.Fast.Access;
using Gateway.Fast.Errors;
using Gateway.Fast.Metrics;
using Gateway.Fast.RateLimiting;
using Gateway.Fast.Storage;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>
/// Stage 2, admission: the gateway's settings from memory, then whether this caller may use it now: authentication (a
/// gateway token, or a team key the team paths checked), the log controls, and the rate limits (the gateway's, per
/// caller with <c>cf-aig-rate-limit-key</c>, a team key's own).
/// </summary>
internal sealed class AdmissionStage(IGatewayStore gateways, GatewayAccess access, IRateLimiter limiter, GatewayMetrics metrics)
{
    /// <summary>Finds the route's gateway and checks that the caller may use it now (authentication, log controls, rate limit).</summary>
    /// <param name="ctx">The request.</param>
    /// <param name="teamAuthenticated">A team key already authenticated the caller (the team base paths): no gateway token is asked.</param>
    /// <param name="limitLater">The caller checks the rate limit itself once it knows the caller key (the Universal Endpoint,
    /// whose steps may name it): see <see cref="CheckRateLimitAsync"/>.</param>
    /// <remarks>Completes synchronously unless a fleet's rate limit waits for Redis (see <see cref="IRateLimiter"/>).</remarks>
    public ValueTask<GatewayError> AdmitAsync(RequestContext ctx, bool teamAuthenticated = false, bool limitLater = false)
    {
        var error = Authorize(ctx, teamAuthenticated);
        if (error != GatewayError.None || limitLater)
        {
            return new(error);
        }

        // Rate limit: gateway-wide, or per caller when the request names one in cf-aig-rate-limit-key.
        return CheckRateLimitAsync(ctx);
    }

    /// <summary>The gateway, authentication and log controls: everything admission decides without counting.</summary>
    private GatewayError Authorize(RequestContext ctx, bool teamAuthenticated)
    {
        if (!gateways.TryGet(ctx.GatewayId, out var gateway))
        {
            ctx.ErrorDetail = ErrorDetails.UnknownGateway(ctx.GatewayId);
            return GatewayError.GatewayNotFound;
        }

        ctx.Gateway = gateway;
        if (gateway.Authentication && !teamAuthenticated)
        {
            // docs/gateway-api.md#authenticated-gateway: a gateway token or the management token, else 401/2009; also picks the
            // stored provider key (BYOK) the forwarder adds when the caller sent none.
            var accessError = access.Authorize(ctx, gateway);
            if (accessError != GatewayError.None)
            {
                return accessError;
            }
        }

        return DecideLogging(ctx);
    }

    /// <summary>
    /// The gateway's rate limit, counted once per request in the window <see cref="RateLimitKeyHeader"/> picks (a Universal
    /// request's <paramref name="steps"/> may name the caller): before the cache and any upstream call, never retried or
    /// fallen back from (docs/gateway-api.md#rate-limiting). A gateway without a limit reads no header.
    /// </summary>
    public ValueTask<GatewayError> CheckRateLimitAsync(RequestContext ctx, IReadOnlyList<Universal.UniversalStep>? steps = null)
        => RateLimitPolicy.TryGetPolicy(ctx.Gateway!, out var limit)
            ? CountInAsync(ctx, RateLimitKeyHeader.KeyFor(ctx.Gateway!.Id, ctx.Http.Request.Headers, steps), limit)
            : new(GatewayError.None);

    /// <summary>Counts the request in <paramref name="key"/>'s window under <paramref name="limit"/>; past it, 429 with Retry-After.</summary>
    public ValueTask<GatewayError> CountInAsync(RequestContext ctx, in RateLimitKey key, in RateLimitPolicy limit)
    {
        var pending = limiter.AcquireAsync(key, limit);
        return pending.IsCompletedSuccessfully ? new(Decide(ctx, pending.Result)) : AwaitDecisionAsync(ctx, pending);
    }

    private async ValueTask<GatewayError> AwaitDecisionAsync(RequestContext ctx, ValueTask<RateLimitDecision> pending)
        => Decide(ctx, await pending);

    private GatewayError Decide(RequestContext ctx, RateLimitDecision decision)
    {
        if (decision.Allowed)
        {
            return GatewayError.None;
        }

        metrics.RecordRateLimited(ctx.Gateway!.Id);
        ctx.Http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return GatewayError.RateLimited;
    }

    /// <summary>
    /// Reads the request's log controls once its gateway is known: <c>cf-aig-collect-log</c> over the gateway's
    /// <c>collect_logs</c>, <c>cf-aig-collect-log-payload</c>, <c>cf-aig-metadata</c> (refused when malformed), and the
    /// session id (<c>X-SESSION-ID</c> or the <c>session_id</c> cookie; an invalid one is dropped, never refused).
    /// </summary>
    private static GatewayError DecideLogging(RequestContext ctx)
    {
        var headers = ctx.Http.Request.Headers;
        ctx.Log.Collect = ControlHeaders.TryGetBoolean(headers, "cf-aig-collect-log", out bool collect) ? collect : ctx.Gateway!.CollectLogs;
        ctx.Log.CollectPayload = !ControlHeaders.TryGetBoolean(headers, "cf-aig-collect-log-payload", out bool payload) || payload;
        ctx.Log.CaptureResponse = ctx.Log.Collect && ctx.Log.CollectPayload;
        if (!MetadataHeader.TryParse(headers[MetadataHeader.Name], out var metadata, out var error))
        {
            ctx.ErrorDetail = error;
            return GatewayError.InvalidMetadata;
        }

        ctx.Log.MetadataJson = metadata;
        ctx.Log.SessionId = ctx.Log.Collect ? SessionIdHeader.Read(headers) : null; // only a row reads it
        return GatewayError.None;
    }
}
