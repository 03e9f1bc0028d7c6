using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Compat;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Providers;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Resilience;

namespace Gateway.Fast.Hosting;

/// <summary>
/// The unified API (spec §1.2): <c>POST /v1/{account}/{gateway}/compat/chat/completions</c> (and <c>/embeddings</c>)
/// with <c>model = "{provider}/{model}"</c>. Translation is a stage of the one pipeline, not a second path: the
/// gateway, logging, rate limit, cache, attempts and log row are the passthrough's own.
/// </summary>
/// <remarks>
/// <code>
/// 1 body       the caller's OpenAI JSON, buffered; guard (DLP, guardrails) on it
/// 2 route      model prefix → compat row (family, native paths) → catalog provider; parsed only when a translator needs it
/// 4 native     OpenAI-compatible: only model changes (spliced); others: the family's translator writes the body and path
/// 5 headers    its credential in the provider's own header (the caller's, else the gateway's stored one, else on the
///              default routes and team paths the environment's), the translator's extras, and the caller's other headers
///              minus content, credentials and Accept-Encoding
/// 3 cache      keyed on the caller's request ("compat", endpoint, body, credential): a HIT replays the translated answer
/// 6 forward    AttemptRunner as passthrough; the answer relayed as is, or translated as it streams
/// </code>
/// </remarks>
internal sealed partial class GatewayApp
{
    private const string ChatEndpoint = "chat/completions";
    private const string EmbeddingsEndpoint = "embeddings";

    private async ValueTask<GatewayError> RunCompatAsync(RequestContext ctx)
    {
        ctx.Shape = ErrorShape.OpenAI;
        string endpoint = ctx.Rest.ToString();
        if (endpoint is not (ChatEndpoint or EmbeddingsEndpoint))
        {
            ctx.ErrorDetail = "the unified API serves compat/chat/completions and compat/embeddings";
            return GatewayError.RouteNotAvailable;
        }

        var gatewayError = ResolveGateway(ctx);
        return gatewayError != GatewayError.None ? gatewayError : await RunUnifiedAsync(ctx, endpoint, modelRouting: false);
    }

    /// <summary>
    /// Stages 1–6 above, for <c>/compat</c> (model prefix required), the default routes (model patterns) and the team base
    /// paths (<paramref name="team"/>: the provider fixed by the path, provider keys only from the gateway).
    /// </summary>
    private async ValueTask<GatewayError> RunUnifiedAsync(RequestContext ctx, string endpoint, bool modelRouting,
        string? forcedProvider = null, Access.TeamKey? team = null)
    {
        // :: 1 body
        var bodyError = await ReadBodyAsync(ctx);
        if (bodyError != GatewayError.None)
        {
            return bodyError;
        }

        if (!ctx.BodyBuffered)
        {
            ctx.ErrorDetail = "the body must be a JSON object (Content-Type: application/json)";
            return GatewayError.ChatCompletionBadFormat;
        }

        // :: guard: DLP and guardrails on the caller's prompt, before it is routed, translated or served from the cache
        var guardError = GuardRequestBody(ctx);
        if (guardError != GatewayError.None)
        {
            return guardError;
        }

        // :: 2 route, 4 native request, 5 headers (before the cache: a request that cannot be translated is refused either way)
        var request = ctx.Http.Request;
        // The default routes and team paths name no account: Workers AI goes to CLOUDFLARE_ACCOUNT_ID when it is set.
        bool defaultGateway = modelRouting || team is not null;
        string account = defaultGateway ? _environmentKeys.CloudflareAccountId ?? _options.DefaultAccountId : ctx.Account.ToString();
        string? presentedKey = team is not null ? null // a team's Authorization is its team key; provider keys stay on the gateway
            : CompatCredentials.PresentedKey(request.Headers, gatewayTokenInAuthorization: ctx.GatewayAuthInAuthorization);
        var error = PrepareUnified(ctx, ctx.Body.Memory, ctx.Model, endpoint, modelRouting, presentedKey, request.QueryString.Value, account,
            _options.BedrockRegion, out var call, forcedProvider);
        if (error != GatewayError.None)
        {
            return error;
        }

        if (team is not null && !team.AllowsModel(call!.NativeModel))
        {
            return GatewayError.ModelNotAllowed;
        }

        // A caller without its own provider key uses the gateway's stored one (authenticated gateways only, spec §1.2), and
        // on the default gateway's routes then the one the process was started with; AWS keys carry their region, which
        // the URL then names.
        if (presentedKey is null)
        {
            error = _access.SelectStoredKey(ctx, ctx.Gateway!, call!.Provider, teamAuthenticated: team is not null);
            if (error != GatewayError.None)
            {
                return error;
            }

            if (ctx.InjectedCredential is null && defaultGateway && _environmentKeys.TryGet(call.Provider.Id, out var environmentKey))
            {
                ctx.InjectedCredential = environmentKey;
            }

            if (ctx.InjectedCredential?.Aws is { } aws && aws.Region != _options.BedrockRegion)
            {
                error = PrepareUnified(ctx, ctx.Body.Memory, ctx.Model, endpoint, modelRouting, null, request.QueryString.Value, account,
                    aws.Region, out call, forcedProvider);
                if (error != GatewayError.None)
                {
                    return error;
                }
            }
        }

        ctx.SigningBody = call!.Body;
        StartUnified(ctx, call);

        // :: 3 cache, keyed on what the caller asked (the translated answer is what it stores)
        if (await TryServeFromCacheAsync(ctx, request.Headers, "compat", endpoint, request.QueryString.Value, request.Headers,
                ctx.Body.Span, bodyCacheable: true))
        {
            return GatewayError.None;
        }

        // :: 6 forward: the caller's other headers pass (minus content, credentials and Accept-Encoding)
        var policy = PolicyResolver.Resolve(ctx.Gateway!, request.Headers, null, _options);
        var attempt = await _attempts.RunAsync(ctx, call!.Url, call.Body, call.Headers, copyCallerHeaders: true, policy, waitsOnFinalAttempt: false);
        return attempt.Response is null ? attempt.Error : await RelayUnifiedAsync(ctx, attempt, call);
    }

    /// <summary>The request (or Universal step) now answers as this unified call: provider, native model, response headers, log path.</summary>
    private static void StartUnified(RequestContext ctx, UnifiedCall call)
    {
        ctx.Provider = call.Provider;
        ctx.CompatModel = call.NativeModel;
        ctx.LogPath = call.Path;
        var response = ctx.Http.Response.Headers;
        response["cf-aig-provider"] = call.Provider.Id;
        response["cf-aig-model"] = call.NativeModel;
    }

    private ValueTask<GatewayError> RelayUnifiedAsync(RequestContext ctx, in UpstreamAttempt attempt, UnifiedCall call) =>
        call.Translator is null
            ? _forwarder.RelayAsync(ctx, attempt)
            : _forwarder.RelayTranslatedAsync(ctx, attempt, call.Translator,
                new CompatResponseInfo("chatcmpl-" + ctx.LogId, call.Model, ctx.CreatedAtUnixMs / 1000, call.IncludeUsage));

    /// <summary>
    /// Routes an OpenAI-shaped body to its provider and writes what is sent there: URL, native body, headers. Synchronous
    /// and side-effect free on the context (except <see cref="RequestContext.ErrorDetail"/>), so the Universal Endpoint
    /// can check every step before it sends the first.
    /// </summary>
    /// <param name="ctx">For the error detail.</param>
    /// <param name="body">The OpenAI-shaped JSON body.</param>
    /// <param name="peekedModel">The range of <c>model</c>'s raw value in <paramref name="body"/> (empty when not peeked).</param>
    /// <param name="endpoint"><c>chat/completions</c>, <c>embeddings</c> or (default routes) <c>completions</c>.</param>
    /// <param name="modelRouting">Default routes: the model may be unprefixed and a <c>provider</c> field may name the provider.</param>
    /// <param name="presentedKey">The caller's provider key, re-expressed in the provider's header; null sends none.</param>
    /// <param name="query">The caller's query string (Azure's <c>api-version</c>).</param>
    /// <param name="account">The account for account-scoped upstreams (Workers AI).</param>
    /// <param name="bedrockRegion">The region Bedrock calls go to.</param>
    /// <param name="call">The call, when the result is <see cref="GatewayError.None"/>.</param>
    /// <param name="forcedProvider">The provider the route itself names (team base paths); the model is then the provider's own.</param>
    private GatewayError PrepareUnified(RequestContext ctx, ReadOnlyMemory<byte> body, Range peekedModel, string endpoint, bool modelRouting,
        string? presentedKey, string? query, string account, string bedrockRegion, out UnifiedCall? call, string? forcedProvider = null)
    {
        call = null;

        // The model comes from the peek when it could (no DOM for providers that speak OpenAI); a translator needs the DOM anyway.
        string? model = peekedModel.End.Value > peekedModel.Start.Value ? System.Text.Encoding.UTF8.GetString(body.Span[peekedModel]) : null;
        JsonDocument? document = null;
        if (model is null)
        {
            if (!TryParse(ctx, body, out document))
            {
                return GatewayError.ChatCompletionBadFormat;
            }

            var root = document.RootElement;
            model = root.TryGetProperty("model"u8, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }

        try
        {
            if (string.IsNullOrEmpty(model))
            {
                ctx.ErrorDetail = modelRouting ? "model is required" : "model is required, as \"{provider}/{model}\"";
                return GatewayError.ChatCompletionBadFormat;
            }

            // :: 2 route
            string? explicitProvider = null;
            if (modelRouting && !JsonTopLevel.TryGetString(body.Span, "provider"u8, out explicitProvider))
            {
                ctx.ErrorDetail = "the body is not a valid JSON object";
                return GatewayError.ChatCompletionBadFormat;
            }

            var routeError = modelRouting || forcedProvider is not null
                ? DefaultRouting.Resolve(forcedProvider ?? explicitProvider, model, out var row, out string nativeModel, out string? detail)
                : ResolveCompatModel(model, out row, out nativeModel, out detail);
            if (routeError != GatewayError.None)
            {
                ctx.ErrorDetail = detail;
                return routeError;
            }

            if (row!.Slug == "azure-openai" && !nativeModel.Contains('/') && _environmentKeys.AzureResource is { } resource)
            {
                nativeModel = resource + "/" + nativeModel; // a deployment alone, on the resource AZURE_RESOURCE_NAME names
            }

            if (row.Family == CompatFamily.Bedrock)
            {
                nativeModel = Compat.Bedrock.BedrockModelAliases.Resolve(nativeModel); // nova-pro → amazon.nova-pro-v1:0 (prices, logs)
            }

            bool chat = endpoint == ChatEndpoint;
            bool embeddings = endpoint == EmbeddingsEndpoint;
            bool translated = row!.Family != CompatFamily.OpenAICompatible;
            var translator = translated ? CompatTranslators.Chat(row.Family) : null;
            var embeddingsTranslator = translated && embeddings ? CompatTranslators.Embeddings(row.Family) : null;
            if ((translated && translator is null) || !_providers.TryGet(row.Slug, out var provider))
            {
                ctx.ErrorDetail = $"provider '{row.Slug}' is not reachable through the unified API in this build";
                return GatewayError.InvalidProvider;
            }

            string? openAIPath = endpoint switch
            {
                ChatEndpoint => row.ChatPath,
                EmbeddingsEndpoint => row.EmbeddingsPath,
                _ => row.ChatPath?.Replace(ChatEndpoint, "completions", StringComparison.Ordinal), // legacy completions
            };
            if (translated ? !(chat || embeddingsTranslator is not null) : openAIPath is null)
            {
                ctx.ErrorDetail = $"provider '{row.Slug}' offers no {endpoint} through the unified API";
                return GatewayError.ChatCompletionBadFormat;
            }

            // :: 4 native request
            bool includeUsage = false;
            byte[] nativeBody;
            string path;
            ICompatResponseTranslator? answer = translator;
            if (!translated)
            {
                path = PathPrefix(row, nativeModel, bedrockRegion) + openAIPath;
                nativeBody = ModelRewriter.Rewrite(body.Span, peekedModel,
                    row.Slug == "azure-openai" ? nativeModel[(nativeModel.IndexOf('/') + 1)..] : nativeModel, dropProvider: explicitProvider is not null);
            }
            else if (embeddingsTranslator is not null)
            {
                if (document is null && !TryParse(ctx, body, out document))
                {
                    return GatewayError.ChatCompletionBadFormat;
                }

                var root = document.RootElement;
                var buffer = new ArrayBufferWriter<byte>(body.Length + 128);
                string? problem = embeddingsTranslator.WriteRequest(root, nativeModel, buffer, out string nativePath);
                if (problem is not null)
                {
                    ctx.ErrorDetail = problem;
                    return GatewayError.ChatCompletionBadFormat;
                }

                bool base64 = root.TryGetProperty("encoding_format"u8, out var format) && format.ValueEquals("base64"u8);
                answer = new EmbeddingsResponse(embeddingsTranslator, base64);
                path = PathPrefix(row, nativeModel, bedrockRegion) + nativePath;
                nativeBody = buffer.WrittenSpan.ToArray();
            }
            else
            {
                if (document is null && !TryParse(ctx, body, out document))
                {
                    return GatewayError.ChatCompletionBadFormat;
                }

                var root = document.RootElement;
                includeUsage = root.TryGetProperty("stream_options"u8, out var options) && options.ValueKind == JsonValueKind.Object
                    && options.TryGetProperty("include_usage"u8, out var include) && include.ValueKind == JsonValueKind.True;
                bool stream = root.TryGetProperty("stream"u8, out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
                var buffer = new ArrayBufferWriter<byte>(body.Length + 256);
                string? problem = translator!.WriteRequest(new CompatChatRequest(root, nativeModel, stream, includeUsage), buffer, out string nativePath);
                if (problem is not null)
                {
                    ctx.ErrorDetail = problem;
                    return GatewayError.ChatCompletionBadFormat;
                }

                path = PathPrefix(row, nativeModel, bedrockRegion) + nativePath;
                nativeBody = buffer.WrittenSpan.ToArray();
            }

            string upstreamQuery = row.Slug == "azure-openai" && (query is null || !query.Contains("api-version=", StringComparison.Ordinal))
                ? "?api-version=" + _options.AzureApiVersion
                : query ?? "";
            int queryStart = path.IndexOf('?');
            if (queryStart >= 0)
            {
                upstreamQuery = path[queryStart..];
                path = path[..queryStart];
            }

            if (UpstreamUrl.TryBuild(provider, path, account, upstreamQuery, out string upstreamUrl) != GatewayError.None)
            {
                ctx.ErrorDetail = "the model does not name a valid upstream for this provider";
                return GatewayError.ChatCompletionBadFormat;
            }

            // :: 5 headers: the credential in the provider's own header, the translator's extras
            var headers = new List<KeyValuePair<string, string>>(4);
            if (presentedKey is not null)
            {
                CompatCredentials.Add(headers, provider.Descriptor.Auth, presentedKey);
            }

            if (translator is not null)
            {
                headers.AddRange(translator.ExtraHeaders);
            }

            call = new UnifiedCall(provider, answer, model, nativeModel, path, upstreamUrl, nativeBody, headers, includeUsage);
            return GatewayError.None;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static bool TryParse(RequestContext ctx, ReadOnlyMemory<byte> body, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        document = null;
        ctx.ErrorDetail = "the body is not a valid JSON object";
        return false;
    }

    /// <summary><c>{provider}/{model}</c> → the compat row; 2019 without a prefix, 2008 for an unknown one (spec §1.2).</summary>
    private static GatewayError ResolveCompatModel(string model, out CompatProvider? row, out string nativeModel, out string? detail)
    {
        if (CompatCatalog.TryResolve(model, out row, out nativeModel, out bool hasPrefix))
        {
            detail = null;
            return GatewayError.None;
        }

        detail = hasPrefix
            ? "the model's provider prefix names no provider of the unified API"
            : "model must be \"{provider}/{model}\", e.g. \"openai/gpt-4o-mini\" or \"anthropic/claude-sonnet-4-5\"";
        return hasPrefix ? GatewayError.InvalidProvider : GatewayError.ChatCompletionBadFormat;
    }

    /// <summary>What goes before the native path: Azure's <c>{resource}/{deployment}/</c>, Bedrock's <c>bedrock-runtime/{region}/</c>.</summary>
    private static string PathPrefix(CompatProvider row, string nativeModel, string bedrockRegion) => row.Slug switch
    {
        "azure-openai" => nativeModel + "/",
        "aws-bedrock" => "bedrock-runtime/" + bedrockRegion + "/",
        _ => "",
    };
}
