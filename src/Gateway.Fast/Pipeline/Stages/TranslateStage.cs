using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Access;
using Gateway.Fast.Compat;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Providers;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>
/// Between the guard and the cache, translate (the unified API only): an OpenAI-shaped body routed to its provider by its model and written as
/// that provider's native call (URL, body, credential header). Providers that speak OpenAI get the body with only
/// <c>model</c> changed; the others go through their family's translator (<see cref="CompatTranslators"/>).
/// </summary>
/// <remarks>
/// Synchronous and free of side effects on the context (but for <see cref="RequestContext.ErrorDetail"/>), so the
/// Universal Endpoint can check every step before it sends the first. What differs per provider is data on its
/// <see cref="CompatProvider"/> row, never a name compared here.
/// </remarks>
internal sealed class TranslateStage(ProviderRegistry providers, EnvironmentProviderKeys environmentKeys, IOptions<GatewayOptions> options)
{
    private readonly ProviderRegistry _providers = providers;
    private readonly EnvironmentProviderKeys _environmentKeys = environmentKeys;
    private readonly GatewayOptions _options = options.Value;

    /// <summary>The request (or Universal step) now answers as this unified call: provider, native model, response headers, log path.</summary>
    public static void Start(RequestContext ctx, UnifiedCall call)
    {
        ctx.Provider = call.Provider;
        ctx.CompatModel = call.NativeModel;
        ctx.LogPath = call.Path;
        var response = ctx.Http.Response.Headers;
        response["cf-aig-provider"] = call.Provider.Id;
        response["cf-aig-model"] = call.NativeModel;
    }

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
    public GatewayError Prepare(RequestContext ctx, ReadOnlyMemory<byte> body, Range peekedModel, string endpoint, bool modelRouting,
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

            // Route: the model (or the path, or an explicit provider field) names the compat row
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

            if (row!.IsDeployment && !nativeModel.Contains('/') && _environmentKeys.AzureResource is { } resource)
            {
                nativeModel = resource + "/" + nativeModel; // a deployment alone, on the resource AZURE_RESOURCE_NAME names
            }

            if (row.Family == CompatFamily.Bedrock)
            {
                nativeModel = Compat.Bedrock.BedrockModelAliases.Resolve(nativeModel); // nova-pro → amazon.nova-pro-v1:0 (prices, logs)
            }

            bool chat = endpoint == OpenAIEndpoints.Chat;
            bool embeddings = endpoint == OpenAIEndpoints.Embeddings;
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
                OpenAIEndpoints.Chat => row.ChatPath,
                OpenAIEndpoints.Embeddings => row.EmbeddingsPath,
                _ => row.ChatPath?.Replace(OpenAIEndpoints.Chat, "completions", StringComparison.Ordinal), // legacy completions
            };
            if (translated ? !(chat || embeddingsTranslator is not null) : openAIPath is null)
            {
                ctx.ErrorDetail = $"provider '{row.Slug}' offers no {endpoint} through the unified API";
                return GatewayError.ChatCompletionBadFormat;
            }

            // The native request
            bool includeUsage = false;
            byte[] nativeBody;
            string path;
            ICompatResponseTranslator? answer = translator;
            if (!translated)
            {
                path = row.PathPrefix(nativeModel, bedrockRegion) + openAIPath;
                nativeBody = ModelRewriter.Rewrite(body.Span, peekedModel, row.BodyModel(nativeModel), dropProvider: explicitProvider is not null);
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
                path = row.PathPrefix(nativeModel, bedrockRegion) + nativePath;
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

                path = row.PathPrefix(nativeModel, bedrockRegion) + nativePath;
                nativeBody = buffer.WrittenSpan.ToArray();
            }

            string upstreamQuery = row.IsDeployment && (query is null || !query.Contains("api-version=", StringComparison.Ordinal))
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

            // Headers: the credential in the provider's own header, the translator's extras
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

}
