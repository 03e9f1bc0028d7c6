using Gateway.Fast.Access;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline.Stages;
using Gateway.Fast.RateLimiting;
using Gateway.Fast.Routing;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>
/// The OpenAI-format base paths (docs/gateway-api.md#team-base-paths): <c>/{openai|anthropic|workers-ai|google|azure|bedrock}/v1/chat/completions</c>
/// (and <c>embeddings</c>, <c>completions</c>, <c>models</c>; each also without <c>v1/</c>), authenticated by a team key
/// (<c>Authorization: Bearer sk_…</c>), the provider called with the key the gateway <c>default</c> stores for it (else the
/// one from the environment), through the unified API's translation.
/// </summary>
/// <remarks>
/// A limited key is held to its own rate limit and allowed-model list; the gateway's own limit applies as well. The key
/// never travels upstream, and a caller-sent provider key is not used: these paths exist so clients hold no provider keys.
/// </remarks>
internal sealed class TeamPathHandler(TeamKeyStore teamKeys, AdmissionStage admission, UnifiedHandler unified, CatalogEndpoints catalog)
    : IRouteHandler
{
    public async ValueTask<GatewayError> RunAsync(RequestContext ctx)
    {
        ctx.Shape = ErrorShape.OpenAI;
        string provider = TeamBasePath.ProviderOf(ctx.Path.AsSpan()[ctx.Route.Provider])!;
        string endpoint = ctx.Rest.ToString();
        if (endpoint is not (OpenAIEndpoints.Chat or OpenAIEndpoints.Embeddings or OpenAIEndpoints.LegacyCompletions or OpenAIEndpoints.Models))
        {
            ctx.ErrorDetail = "the team base paths serve chat/completions, completions, embeddings and models (with or without v1/)";
            return GatewayError.RouteNotAvailable;
        }

        if (!teamKeys.TryAuthenticate(ctx.Http.Request.Headers, out var key))
        {
            ctx.ErrorDetail = ErrorDetails.TeamKeyExpected;
            return GatewayError.Unauthorized;
        }

        ctx.Auth.TeamKey = key;
        ctx.Auth.CredentialInAuthorization = true; // the team key is the gateway's credential: never forwarded, never a provider key
        if (endpoint == OpenAIEndpoints.Models)
        {
            // A listing calls no provider: no gateway lookup, no log row, no rate limit (as /v1/models).
            await CatalogEndpoints.WriteJsonAsync(ctx.Http, json => catalog.WriteProviderModels(json, provider, key));
            return GatewayError.None;
        }

        var gatewayError = await admission.AdmitAsync(ctx, teamAuthenticated: true);
        if (gatewayError != GatewayError.None)
        {
            return gatewayError;
        }

        if (key.TryGetRateLimit(out var limit))
        {
            var limitError = await admission.CountInAsync(ctx, RateLimitKey.ForApiKey(ctx.Gateway!.Id, key.Id), limit);
            if (limitError != GatewayError.None)
            {
                return limitError;
            }
        }

        return await unified.RunUnifiedAsync(ctx, endpoint, modelRouting: false, forcedProvider: provider, team: key);
    }
}
