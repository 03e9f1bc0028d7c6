using Gateway.Fast.Access;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Gateway.Fast.RateLimiting;
using Gateway.Fast.Routing;

namespace Gateway.Fast.Hosting;

/// <summary>
/// Seed 003's OpenAI-format base paths (spec §9): <c>/{openai|anthropic|workers-ai|google|azure|bedrock}/v1/chat/completions</c>
/// (and <c>embeddings</c>, <c>completions</c>), authenticated by a team key (<c>Authorization: Bearer sk_…</c>), the provider
/// called with the key the gateway <c>default</c> stores for it, through the unified API's translation.
/// </summary>
/// <remarks>
/// A limited key is held to its own rate limit and allowed-model list; the gateway's own limit applies as well. The key
/// never travels upstream, and a caller-sent provider key is not used: these paths exist so clients hold no provider keys.
/// </remarks>
internal sealed partial class GatewayApp
{
    private async ValueTask<GatewayError> RunTeamBasePathAsync(RequestContext ctx)
    {
        ctx.Shape = ErrorShape.OpenAI;
        string provider = TeamBasePath.ProviderOf(ctx.Path.AsSpan()[ctx.Route.Provider])!;
        string endpoint = ctx.Rest.ToString();
        if (endpoint is not (ChatEndpoint or EmbeddingsEndpoint or LegacyCompletionsEndpoint))
        {
            ctx.ErrorDetail = "the team base paths serve v1/chat/completions, v1/completions and v1/embeddings";
            return GatewayError.RouteNotAvailable;
        }

        var authorization = ctx.Http.Request.Headers.Authorization;
        if (authorization.Count != 1 || !GatewayAccess.TryReadBearer(authorization[0], out var presented)
            || !_teamKeys.TryResolve(presented, out var key))
        {
            ctx.ErrorDetail = ErrorDetails.TeamKeyExpected;
            return GatewayError.Unauthorized;
        }

        ctx.TeamKey = key;
        ctx.GatewayAuthInAuthorization = true; // the team key is the gateway's credential: never forwarded, never a provider key
        var gatewayError = ResolveGateway(ctx, teamAuthenticated: true);
        if (gatewayError != GatewayError.None)
        {
            return gatewayError;
        }

        if (key.TryGetRateLimit(out var limit))
        {
            var decision = _limiter.TryAcquire(RateLimitKey.ForApiKey(ctx.Gateway!.Id, key.Id), limit);
            if (!decision.Allowed)
            {
                _metrics.RecordRateLimited(ctx.Gateway.Id);
                ctx.Http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return GatewayError.RateLimited;
            }
        }

        return await RunUnifiedAsync(ctx, endpoint, modelRouting: false, forcedProvider: provider, team: key);
    }
}
