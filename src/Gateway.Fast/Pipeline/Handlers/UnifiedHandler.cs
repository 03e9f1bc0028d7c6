using Gateway.Fast.Access;
using Gateway.Fast.Compat;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline.Stages;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>
/// The unified API (docs/gateway-api.md#unified-api): <c>POST /v1/{account}/{gateway}/compat/chat/completions</c> (and <c>/embeddings</c>)
/// with <c>model = "{provider}/{model}"</c>. Translation is a stage of the one pipeline, not a second path: the
/// gateway, logging, rate limit, cache, attempts and log row are the passthrough's own.
/// </summary>
/// <remarks>
/// The stages are the passthrough's, with the translation between the guard and the cache: the guard reads the caller's
/// own prompt, and the cache is keyed on what the caller asked ("compat", endpoint, body, credential), so a HIT replays
/// the translated answer. The provider key is the caller's (re-expressed in the provider's own header), else the
/// gateway's stored one, else, on the default routes and team paths, the one the process was started with. The default
/// routes and the team paths run these same stages (<see cref="RunUnifiedAsync"/>) after their own admission.
/// </remarks>
internal sealed class UnifiedHandler(AdmissionStage admission, BodyStage bodyStage, TranslateStage translateStage, CacheStage cacheStage, ForwardStage forward,
    GatewayAccess access, EnvironmentProviderKeys environmentKeys, IOptions<GatewayOptions> options) : IRouteHandler
{
    private readonly GatewayOptions _options = options.Value;

    public async ValueTask<GatewayError> RunAsync(RequestContext ctx)
    {
        ctx.Shape = ErrorShape.OpenAI;
        string endpoint = ctx.Rest.ToString();
        if (endpoint is not (OpenAIEndpoints.Chat or OpenAIEndpoints.Embeddings))
        {
            ctx.ErrorDetail = "the unified API serves compat/chat/completions and compat/embeddings";
            return GatewayError.RouteNotAvailable;
        }

        var gatewayError = await admission.AdmitAsync(ctx);
        return gatewayError != GatewayError.None ? gatewayError : await RunUnifiedAsync(ctx, endpoint, modelRouting: false);
    }

    /// <summary>
    /// Stages 1–6 above, for <c>/compat</c> (model prefix required), the default routes (model patterns) and the team base
    /// paths (<paramref name="team"/>: the provider fixed by the path, provider keys only from the gateway).
    /// </summary>
    public async ValueTask<GatewayError> RunUnifiedAsync(RequestContext ctx, string endpoint, bool modelRouting,
        string? forcedProvider = null, Access.TeamKey? team = null)
    {
        // :: 3 body
        var bodyError = await bodyStage.ReadAsync(ctx);
        if (bodyError != GatewayError.None)
        {
            return bodyError;
        }

        if (!ctx.BodyBuffered)
        {
            ctx.ErrorDetail = "the body must be a JSON object (Content-Type: application/json)";
            return GatewayError.ChatCompletionBadFormat;
        }

        // :: 4 guard: DLP and guardrails on the caller's prompt, before it is routed, translated or served from the cache
        var guardError = GuardStage.CheckRequestBody(ctx);
        if (guardError != GatewayError.None)
        {
            return guardError;
        }

        // :: translate (before the cache: a request that cannot be translated is refused either way)
        var request = ctx.Http.Request;
        // The default routes and team paths name no account: Workers AI goes to CLOUDFLARE_ACCOUNT_ID when it is set.
        bool defaultGateway = modelRouting || team is not null;
        string account = defaultGateway ? environmentKeys.CloudflareAccountId ?? _options.DefaultAccountId : ctx.Account.ToString();
        string? presentedKey = team is not null ? null // a team's Authorization is its team key; provider keys stay on the gateway
            : CompatCredentials.PresentedKey(request.Headers, gatewayTokenInAuthorization: ctx.Auth.CredentialInAuthorization);
        var translate = new TranslateRequest(ctx.Body.Memory, ctx.Model, endpoint, modelRouting, presentedKey, request.QueryString.Value,
            account, _options.BedrockRegion, forcedProvider);
        var error = translateStage.Prepare(ctx, translate, out var call);
        if (error != GatewayError.None)
        {
            return error;
        }

        if (team is not null && !team.AllowsModel(call!.NativeModel))
        {
            return GatewayError.ModelNotAllowed;
        }

        // A caller without its own provider key uses the gateway's stored one (authenticated gateways only, docs/gateway-api.md#stored-provider-keys), and
        // on the default gateway's routes then the one the process was started with; AWS keys carry their region, which
        // the URL then names.
        if (presentedKey is null)
        {
            error = access.SelectStoredKey(ctx, ctx.Gateway!, call!.Provider, teamAuthenticated: team is not null);
            if (error != GatewayError.None)
            {
                return error;
            }

            if (ctx.Auth.InjectedCredential is null && defaultGateway && environmentKeys.TryGet(call.Provider.Id, out var environmentKey))
            {
                ctx.Auth.InjectedCredential = environmentKey;
            }

            if (ctx.Auth.InjectedCredential?.Aws is { } aws && aws.Region != _options.BedrockRegion)
            {
                error = translateStage.Prepare(ctx, translate with { PresentedKey = null, Region = aws.Region }, out call);
                if (error != GatewayError.None)
                {
                    return error;
                }
            }
        }

        ctx.Auth.SigningBody = call!.Body;
        TranslateStage.Start(ctx, call);

        // :: 5 cache, keyed on what the caller asked (the translated answer is what it stores)
        if (await cacheStage.TryServeAsync(ctx, request.Headers, "compat", endpoint, request.QueryString.Value, request.Headers,
                ctx.Body.Span, bodyCacheable: true))
        {
            return GatewayError.None;
        }

        // :: 6 forward: the caller's other headers pass (minus content, credentials and Accept-Encoding)
        var policy = forward.PolicyFor(ctx, request.Headers);
        var attempt = await forward.SendAsync(ctx, call!.Url, call.Body, call.Headers, copyCallerHeaders: true, policy, waitsOnFinalAttempt: false);
        return attempt.Response is null ? attempt.Error : await forward.RelayAsync(ctx, attempt, call);
    }
}
