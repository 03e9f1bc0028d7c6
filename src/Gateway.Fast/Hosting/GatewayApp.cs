using System.Diagnostics;
using Gateway.Fast.Caching;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Logging;
using Gateway.Fast.Metrics;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Providers;
using Gateway.Fast.RateLimiting;
using Gateway.Fast.Resilience;
using Gateway.Fast.Routing;
using Gateway.Fast.Storage;
using Gateway.Fast.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Hosting;

/// <summary>The terminal request delegate of every proxy path (<c>/v1/…</c>, and the team base paths); anything else goes to the next middleware.</summary>
/// <remarks>
/// <code>
/// 1 route     RouteParser over the decoded path, once, into a pooled RequestContext (TeamBasePath for /{provider}[/v1]/…)
/// 2 provider  catalog lookup by slug (error shape follows the provider)
/// 3 gateway   IGatewayStore snapshot lookup by id; authentication (gateway token, or the team key on team paths) and the
///             stored provider key; logging decision; rate limit (lock-free, before the cache)
/// 4 url       UpstreamUrl by the provider's path rule; host only from catalog/configuration
/// 5 body      JSON bodies read once into a pooled buffer, model/stream peeked
///   guard     DLP and guardrails on the prompt (GatewayApp.Guard.cs): block, flag or mask, before the cache
/// 6 cache     key, lookup, HIT replayed (SSE as SSE); identical requests in flight wait for the first (CacheFlights);
///             on a MISS the relay tees the body, committed after a complete 2xx before the response completes
/// 7 forward   AttemptRunner (merged policy: timeout to first byte, retries with backoff), then ProxyForwarder's relay
///             (responses judged by the guardrails when the gateway checks them)
/// 8 record    metrics; the log row into the log store's bounded queue
/// </code>
/// The unified API (GatewayApp.Compat.cs), the default routes, the team base paths and Universal steps with provider
/// <c>compat</c> run the same stages with a translation step between 5 and 6.
/// </remarks>
internal sealed partial class GatewayApp
{
    private static readonly double TicksToSeconds = 1.0 / Stopwatch.Frequency;

    private readonly RequestDelegate _next;
    private readonly IGatewayStore _gateways;
    private readonly ProviderRegistry _providers;
    private readonly ProxyForwarder _forwarder;
    private readonly AttemptRunner _attempts;
    private readonly IRateLimiter _limiter;
    private readonly ICacheStore _cache;
    private readonly CacheFlights _flights;
    private readonly ILogStore _logs;
    private readonly Accounting.CostCalculator _costs;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly GatewayOptions _options;
    private readonly DefaultRoutesAuth _defaultRoutesAuth;
    private readonly Access.GatewayAccess _access;
    private readonly Access.TeamKeyStore _teamKeys;
    private readonly Access.EnvironmentProviderKeys _environmentKeys;
    private readonly ObjectPool<RequestContext> _pool =
        new DefaultObjectPool<RequestContext>(new DefaultPooledObjectPolicy<RequestContext>(), Environment.ProcessorCount * 64);

    public GatewayApp(RequestDelegate next, IGatewayStore gateways, ProviderRegistry providers, ProxyForwarder forwarder,
        AttemptRunner attempts, IRateLimiter limiter, ICacheStore cache, CacheFlights flights, ILogStore logs, Accounting.CostCalculator costs,
        GatewayMetrics metrics, TimeProvider time, IOptions<GatewayOptions> options, DefaultRoutesAuth defaultRoutesAuth,
        Access.GatewayAccess access, Access.TeamKeyStore teamKeys, Access.EnvironmentProviderKeys environmentKeys)
    {
        _environmentKeys = environmentKeys;
        _teamKeys = teamKeys;
        _access = access;
        _defaultRoutesAuth = defaultRoutesAuth;
        _costs = costs;
        _logs = logs;
        _cache = cache;
        _flights = flights;
        _limiter = limiter;
        _attempts = attempts;
        _next = next;
        _gateways = gateways;
        _providers = providers;
        _forwarder = forwarder;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
    }

    public Task InvokeAsync(HttpContext http)
    {
        string? path = http.Request.Path.Value;
        var route = RouteParser.Parse(path);
        if (route.Kind == RouteKind.NotProxy && !TeamBasePath.TryParse(path, out route))
        {
            return _next(http);
        }

        return ProxyAsync(http, path!, route);
    }

    private async Task ProxyAsync(HttpContext http, string path, RouteMatch route)
    {
        var ctx = _pool.Get();
        ctx.Start(http, path, route, Stopwatch.GetTimestamp());
        ctx.CreatedAtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            ctx.LogId = Ulid.NewUlid(_time);
            var headers = http.Response.Headers;
            headers["cf-aig-log-id"] = ctx.LogId;
            headers["cf-aig-request-id"] = ctx.LogId; // equal for single-step requests (spec §3)
            var eventId = http.Request.Headers[ControlHeaders.EventId];
            if (eventId.Count == 1)
            {
                headers[ControlHeaders.EventId] = eventId;
            }

            var error = await RunAsync(ctx);
            ctx.Error = error;
            if (error == GatewayError.None)
            {
                await CommitCacheAsync(ctx);
            }
            else
            {
                if (error == GatewayError.RequestBodyTooLarge)
                {
                    // The unread body cannot be drained past the limit: tell the client this connection ends here,
                    // so it does not send its next request on a socket Kestrel is about to close.
                    headers.Connection = "close";
                }

                await (ctx.ErrorDetail is null
                    ? ErrorWriter.WriteAsync(http, error, ctx.Shape)
                    : ErrorWriter.WriteAsync(http, error, ctx.Shape, ctx.ErrorDetail));
            }
        }
        finally
        {
            ctx.LandCacheFlight(); // nothing was stored (an error, a cut stream): one waiter goes to the provider
            try
            {
                Record(ctx);
                if (ctx.CollectLog)
                {
                    await AppendLogAsync(ctx);
                }
            }
            finally
            {
                _pool.Return(ctx);
            }
        }
    }

    private async ValueTask<GatewayError> RunAsync(RequestContext ctx)
    {
        var route = ctx.Route;
        switch (route.Kind)
        {
            case RouteKind.Malformed:
                return GatewayError.MalformedPath;
            case RouteKind.DefaultRoute:
                return await RunDefaultRouteAsync(ctx);
            case RouteKind.Compat:
                return await RunCompatAsync(ctx);
            case RouteKind.Universal:
                return await RunUniversalAsync(ctx);
            case RouteKind.TeamBasePath:
                return await RunTeamBasePathAsync(ctx);
        }

        // :: 2 provider
        if (!_providers.TryGet(ctx.Path.AsSpan()[route.Provider], out var provider))
        {
            ctx.ErrorDetail = ErrorDetails.UnknownProvider(ctx.Path.AsSpan()[route.Provider]);
            return GatewayError.InvalidProvider;
        }

        ctx.Provider = provider;
        ctx.Shape = provider.Descriptor.ErrorShape;

        // :: 3 gateway
        var gatewayError = ResolveGateway(ctx);
        if (gatewayError != GatewayError.None)
        {
            return gatewayError;
        }

        var gateway = ctx.Gateway!;

        // :: 4 url
        var request = ctx.Http.Request;
        var urlError = UpstreamUrl.TryBuild(provider, ctx.Rest, ctx.Account, request.QueryString.Value, out string upstreamUrl);
        if (urlError != GatewayError.None)
        {
            return urlError;
        }

        // :: 5 body
        var bodyError = await ReadBodyAsync(ctx);
        if (bodyError != GatewayError.None)
        {
            return bodyError;
        }

        // :: guard: DLP and guardrails on the prompt (before the cache: a blocked prompt gets no cached answer either)
        var guardError = GuardRequestBody(ctx);
        if (guardError != GatewayError.None)
        {
            return guardError;
        }

        // :: 6 cache: a HIT answers here; otherwise the relay below tees the body into the entry
        if (await TryServeFromCacheAsync(ctx, request.Headers, provider.Id, ctx.Rest, request.QueryString.Value, request.Headers,
                ctx.BodyBuffered ? ctx.Body.Span : default, bodyCacheable: ctx.BodyBuffered || !HasBody(ctx)))
        {
            return GatewayError.None;
        }

        // :: 7 forward: attempts under the merged policy (cf-aig-* headers > gateway settings > defaults), then the relay
        var policy = PolicyResolver.Resolve(gateway, request.Headers, null, _options);
        var attempt = await _attempts.RunAsync(ctx, upstreamUrl, stepBody: null, stepHeaders: null, copyCallerHeaders: true, policy,
            waitsOnFinalAttempt: false);
        return attempt.Response is null ? attempt.Error : await _forwarder.RelayAsync(ctx, attempt);
    }

    /// <summary>Finds the route's gateway and checks that the caller may use it now (authentication, rate limit).</summary>
    /// <param name="ctx">The request.</param>
    /// <param name="teamAuthenticated">A team key already authenticated the caller (the team base paths): no gateway token is asked.</param>
    /// <param name="limitLater">The caller checks the rate limit itself once it knows the caller key (the Universal Endpoint,
    /// whose steps may name it): see <see cref="CheckRateLimit"/>.</param>
    private GatewayError ResolveGateway(RequestContext ctx, bool teamAuthenticated = false, bool limitLater = false)
    {
        if (!_gateways.TryGet(ctx.GatewayId, out var gateway))
        {
            ctx.ErrorDetail = ErrorDetails.UnknownGateway(ctx.GatewayId);
            return GatewayError.GatewayNotFound;
        }

        ctx.Gateway = gateway;
        if (gateway.Authentication && !teamAuthenticated)
        {
            // spec §4 "Authenticated gateway": a gateway token or the management token, else 401/2009; also picks the
            // stored provider key (BYOK) the forwarder adds when the caller sent none.
            var accessError = _access.Authorize(ctx, gateway);
            if (accessError != GatewayError.None)
            {
                return accessError;
            }
        }

        var logError = DecideLogging(ctx);
        if (logError != GatewayError.None)
        {
            return logError;
        }

        // Rate limit: gateway-wide, or per caller when the request names one in cf-aig-rate-limit-key.
        return limitLater ? GatewayError.None : CheckRateLimit(ctx, RateLimitKeyHeader.KeyFor(gateway.Id, ctx.Http.Request.Headers));
    }

    /// <summary>
    /// The gateway's rate limit, counted once per request in <paramref name="key"/>'s window: before the cache and any
    /// upstream call, never retried or fallen back from (spec §4).
    /// </summary>
    private GatewayError CheckRateLimit(RequestContext ctx, in RateLimitKey key)
        => RateLimitPolicy.TryGetPolicy(ctx.Gateway!, out var limit) ? Admit(ctx, key, limit) : GatewayError.None;

    /// <summary>Counts the request in <paramref name="key"/>'s window under <paramref name="limit"/>; past it, 429 with Retry-After.</summary>
    private GatewayError Admit(RequestContext ctx, in RateLimitKey key, in RateLimitPolicy limit)
    {
        var decision = _limiter.TryAcquire(key, limit);
        if (decision.Allowed)
        {
            return GatewayError.None;
        }

        _metrics.RecordRateLimited(ctx.Gateway!.Id);
        ctx.Http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return GatewayError.RateLimited;
    }

    private void Record(RequestContext ctx)
    {
        int status = ctx.Error == GatewayError.ClientClosed ? 499 : ctx.Http.Response.StatusCode;
        double total = (Stopwatch.GetTimestamp() - ctx.StartTimestamp) * TicksToSeconds;
        _metrics.Record(ctx.Gateway?.Id ?? GatewayMetrics.Unknown, ctx.Provider?.Id ?? GatewayMetrics.Unknown, status, total,
            ctx.UpstreamTicks * TicksToSeconds);
    }
}
