using Gateway.Fast.Caching;
using Gateway.Fast.Compat;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline.Stages;
using Gateway.Fast.Providers;
using Gateway.Fast.Resilience;
using Gateway.Fast.Universal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>The Universal Endpoint: <c>POST /v1/{account}/{gateway}</c> with an array of steps, tried in order (docs/gateway-api.md#universal-endpoint).</summary>
internal sealed class UniversalHandler(ProviderRegistry providerRegistry, AdmissionStage admission, BodyStage body, TranslateStage translateStage,
    CacheStage cache, ForwardStage forward, RecordStage record, IOptions<GatewayOptions> options) : IRouteHandler
{
    private readonly GatewayOptions _options = options.Value;

    private static readonly string[] StepNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <remarks>
    /// Each step gets its own policy (step <c>config</c> > step <c>cf-aig-*</c> headers > request headers > gateway)
    /// and its own attempts; a step that fails as docs/gateway-api.md#timeouts-retries-and-fallbacks defines (non-2xx, network error, timeout) hands over to the
    /// next. Steps send only their own headers: a key meant for one provider never reaches another. When every
    /// step fails, the last step's answer is relayed as it came (our choice); <c>cf-aig-step</c> names the step relayed. Each
    /// step tried leaves a log row.
    /// </remarks>
    public async ValueTask<GatewayError> RunAsync(RequestContext ctx)
    {
        var gatewayError = await admission.AdmitAsync(ctx, limitLater: true);
        if (gatewayError != GatewayError.None)
        {
            return gatewayError;
        }

        // The body is read before the rate limit here, since a step may name the caller (cf-aig-rate-limit-key); every
        // request is still counted once, a malformed one included, before anything is sent.
        var bodyError = await body.ReadAsync(ctx);
        UniversalRequest? universal = null;
        UniversalParseError parseError = default;
        bool parsed = bodyError == GatewayError.None && ctx.BodyBuffered
            && UniversalRequest.TryParse(ctx.Body.Memory, out universal, out parseError);
        var limitError = await admission.CheckRateLimitAsync(ctx, parsed ? universal!.Steps : null);
        if (limitError != GatewayError.None)
        {
            return limitError;
        }

        if (bodyError != GatewayError.None)
        {
            return bodyError;
        }

        if (!ctx.BodyBuffered)
        {
            ctx.ErrorDetail = "the body must be a JSON array of steps";
            return GatewayError.InvalidUniversalRequest;
        }

        if (!parsed)
        {
            ctx.ErrorDetail = parseError.Message;
            return GatewayError.InvalidUniversalRequest;
        }

        // Every step's provider and URL are checked before anything is sent.
        var steps = universal!.Steps;
        var urls = new string[steps.Count];
        var providers = new ResolvedProvider[steps.Count];
        var unified = new UnifiedCall?[steps.Count];
        var bodies = new byte[steps.Count][];
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];

            // Every step's prompt is checked before the first send; a masked step sends its masked body.
            var guardError = GuardStage.CheckPrompt(ctx, step.Body, out var masked);
            if (guardError != GatewayError.None)
            {
                return guardError;
            }

            bodies[i] = masked ?? step.Body;
            if (step.Provider == CompatProvider)
            {
                // A unified-API step: routed and translated now, so a step that cannot be is refused before anything is sent.
                RequestBodyPeek.TryPeek(bodies[i], out var stepModel, out _);
                var translate = new TranslateRequest(bodies[i], stepModel, step.Path, ModelRouting: false,
                    CompatCredentials.PresentedKey(step.Headers), step.Query, ctx.Account.ToString(), _options.BedrockRegion);
                var error = translateStage.Prepare(ctx, translate, out unified[i]);
                if (error != GatewayError.None)
                {
                    ctx.ErrorDetail = $"step {i}: {ctx.ErrorDetail}";
                    return error;
                }

                urls[i] = unified[i]!.Url;
                providers[i] = unified[i]!.Provider;
                continue;
            }

            if (!providerRegistry.TryGet(step.Provider, out var provider))
            {
                ctx.ErrorDetail = $"step {i}: unknown provider";
                return GatewayError.InvalidProvider;
            }

            if (UpstreamUrl.TryBuild(provider, step.Path, ctx.Account, step.Query, out urls[i]) != GatewayError.None)
            {
                ctx.ErrorDetail = $"step {i}: the endpoint does not fit the provider's path rule";
                return GatewayError.MalformedPath;
            }

            providers[i] = provider;
        }

        var headers = ctx.Http.Response.Headers;
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            bool last = i == steps.Count - 1;
            ctx.Provider = providers[i];
            headers["cf-aig-step"] = StepName(i); // before the cache: a HIT starts the response at once
            ctx.Log.Step = i;
            ctx.Log.Path = step.Path;
            ctx.Log.Translated = false;
            ctx.CompatModel = null;
            var call = unified[i];
            if (call is not null)
            {
                TranslateStage.Start(ctx, call);
            }

            ctx.Log.RequestBody = bodies[i];
            bool peeked = RequestBodyPeek.TryPeek(bodies[i], out var model, out bool stream);
            ctx.IsStream = peeked && stream;
            ctx.Model = peeked ? model : default; // a range of the step's body, which is the row's request body below
            var stepHeaders = StepHeaders(step, ctx.Http.Request.Headers);
            if (await cache.TryServeAsync(ctx, stepHeaders, step.Provider, step.Path, step.Query, stepHeaders, bodies[i], bodyCacheable: true))
            {
                return GatewayError.None;
            }

            var policy = forward.PolicyFor(ctx, step);
            var attempt = call is null
                ? await forward.SendAsync(ctx, urls[i], bodies[i], step.Headers, copyCallerHeaders: false, policy, waitsOnFinalAttempt: last)
                : await forward.SendAsync(ctx, urls[i], call.Body, UnifiedStepHeaders(call, step), copyCallerHeaders: false, policy, last);
            if (attempt.Error == GatewayError.ClientClosed)
            {
                return attempt.Error;
            }

            if (!last && RetryClassifier.ShouldFallBack(attempt.StatusCode, attempt.Error, responseStarted: false))
            {
                await record.AppendFallenStepAsync(ctx, attempt);
                attempt.Discard();
                continue;
            }

            if (attempt.Response is null)
            {
                return attempt.Error;
            }

            return call is null ? await forward.RelayAsync(ctx, attempt) : await forward.RelayAsync(ctx, attempt, call);
        }

        return GatewayError.InvalidUniversalRequest; // unreachable: the parser refuses an empty chain
    }

    /// <summary>The provider slug of a Universal step that goes through the unified API (docs/gateway-api.md#universal-endpoint: <c>provider</c> may be <c>compat</c>).</summary>
    private const string CompatProvider = "compat";

    /// <summary>A unified step's headers: the credential re-expressed and the translator's extras, then the step's other headers.</summary>
    private static List<KeyValuePair<string, string>> UnifiedStepHeaders(UnifiedCall call, UniversalStep step)
    {
        var headers = new List<KeyValuePair<string, string>>(call.Headers);
        foreach (var header in step.Headers)
        {
            if (!Forwarding.HeaderRules.SkipUnifiedRequestHeader(header.Key))
            {
                headers.Add(header);
            }
        }

        return headers;
    }

    private static string StepName(int i) => i < StepNames.Length ? StepNames[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A step's headers as the cache sees them: its own (credentials and per-step <c>cf-aig-*</c>), over the request's
    /// <c>cf-aig-cache-*</c> controls. The request's other headers never count: they are not sent to the step.
    /// </summary>
    private static HeaderDictionary StepHeaders(UniversalStep step, IHeaderDictionary request)
    {
        var headers = new HeaderDictionary();
        foreach (var name in CacheControlHeaders)
        {
            if (request.TryGetValue(name, out var value))
            {
                headers[name] = value;
            }
        }

        foreach (var (name, value) in step.Headers)
        {
            headers[name] = value;
        }

        return headers;
    }

    private static readonly string[] CacheControlHeaders =
        [CacheHeaders.Ttl, CacheHeaders.LegacyTtl, CacheHeaders.SkipCache, CacheHeaders.LegacySkipCache, CacheHeaders.Key];
}
