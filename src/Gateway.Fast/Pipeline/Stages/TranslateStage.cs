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
    private readonly GatewayOptions _options = options.Value;

    /// <summary>The request (or Universal step) now answers as this unified call: provider, native model, response headers, log path.</summary>
    public static void Start(RequestContext ctx, UnifiedCall call)
    {
        ctx.Provider = call.Provider;
        ctx.CompatModel = call.NativeModel;
        ctx.Log.Path = call.Path;
        ctx.Log.Translated = call.Translator is not null;
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
    /// <param name="request">What the caller asked, and where.</param>
    /// <param name="call">The call, when the result is <see cref="GatewayError.None"/>.</param>
    public GatewayError Prepare(RequestContext ctx, in TranslateRequest request, out UnifiedCall? call)
    {
        call = null;

        // The model comes from the peek when it could (no DOM for providers that speak OpenAI); a translator needs the DOM anyway.
        var body = request.Body;
        string? model = request.PeekedModel.End.Value > request.PeekedModel.Start.Value
            ? System.Text.Encoding.UTF8.GetString(body.Span[request.PeekedModel])
            : null;
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
            var error = Route(ctx, request, model, out var route);
            if (error != GatewayError.None)
            {
                return error;
            }

            error = WriteNative(ctx, request, route, ref document, out var native);
            if (error != GatewayError.None)
            {
                return error;
            }

            string path = native.Path;
            string upstreamQuery = route.Row.IsDeployment && (request.Query is null || !request.Query.Contains("api-version=", StringComparison.Ordinal))
                ? "?api-version=" + _options.AzureApiVersion
                : request.Query ?? "";
            int queryStart = path.IndexOf('?');
            if (queryStart >= 0)
            {
                upstreamQuery = path[queryStart..];
                path = path[..queryStart];
            }

            if (UpstreamUrl.TryBuild(route.Provider, path, request.Account, upstreamQuery, out string upstreamUrl) != GatewayError.None)
            {
                ctx.ErrorDetail = "the model does not name a valid upstream for this provider";
                return GatewayError.ChatCompletionBadFormat;
            }

            // Headers: the credential in the provider's own header, the translator's extras
            var headers = new List<KeyValuePair<string, string>>(4);
            if (request.PresentedKey is not null)
            {
                CompatCredentials.Add(headers, route.Provider.Descriptor.Auth, request.PresentedKey);
            }

            if (route.Translator is not null)
            {
                headers.AddRange(route.Translator.ExtraHeaders);
            }

            call = new UnifiedCall(route.Provider, native.Answer, model!, route.NativeModel, path, upstreamUrl, native.Body, headers,
                native.IncludeUsage);
            return GatewayError.None;
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>Where the call goes: the compat row and catalog provider the model (or path, or <c>provider</c> field) names.</summary>
    private readonly record struct RouteChoice(CompatProvider Row, Providers.ResolvedProvider Provider, string NativeModel,
        IChatTranslator? Translator, IEmbeddingsTranslator? EmbeddingsTranslator, string? OpenAIPath, bool DropProvider);

    /// <summary>The native request: its path under the provider's base, its body, and how its answer is read back.</summary>
    private readonly record struct NativeRequest(string Path, byte[] Body, ICompatResponseTranslator? Answer, bool IncludeUsage);

    private GatewayError Route(RequestContext ctx, in TranslateRequest request, string? model, out RouteChoice route)
    {
        route = default;
        if (string.IsNullOrEmpty(model))
        {
            ctx.ErrorDetail = request.ModelRouting ? "model is required" : "model is required, as \"{provider}/{model}\"";
            return GatewayError.ChatCompletionBadFormat;
        }

        string? explicitProvider = null;
        if (request.ModelRouting && !JsonTopLevel.TryGetString(request.Body.Span, "provider"u8, out explicitProvider))
        {
            ctx.ErrorDetail = "the body is not a valid JSON object";
            return GatewayError.ChatCompletionBadFormat;
        }

        var routeError = request.ModelRouting || request.ForcedProvider is not null
            ? DefaultRouting.Resolve(request.ForcedProvider ?? explicitProvider, model, out var row, out string nativeModel, out string? detail)
            : ResolveCompatModel(model, out row, out nativeModel, out detail);
        if (routeError != GatewayError.None)
        {
            ctx.ErrorDetail = detail;
            return routeError;
        }

        if (row!.IsDeployment && !nativeModel.Contains('/') && environmentKeys.AzureResource is { } resource)
        {
            nativeModel = resource + "/" + nativeModel; // a deployment alone, on the resource AZURE_RESOURCE_NAME names
        }

        if (row.Family == CompatFamily.Bedrock)
        {
            nativeModel = Compat.Bedrock.BedrockModelAliases.Resolve(nativeModel); // nova-pro → amazon.nova-pro-v1:0 (prices, logs)
        }

        string endpoint = request.Endpoint;
        bool translated = row.Family != CompatFamily.OpenAICompatible;
        var translator = translated ? CompatTranslators.Chat(row.Family) : null;
        var embeddingsTranslator = translated && endpoint == OpenAIEndpoints.Embeddings ? CompatTranslators.Embeddings(row.Family) : null;
        if ((translated && translator is null) || !providers.TryGet(row.Slug, out var provider))
        {
            ctx.ErrorDetail = $"provider '{row.Slug}' is not reachable through the unified API in this build";
            return GatewayError.InvalidProvider;
        }

        string? openAIPath = endpoint switch
        {
            OpenAIEndpoints.Chat => row.ChatPath,
            OpenAIEndpoints.Embeddings => row.EmbeddingsPath,
            _ => row.ChatPath?.Replace(OpenAIEndpoints.Chat, OpenAIEndpoints.LegacyCompletions, StringComparison.Ordinal),
        };
        if (translated ? !(endpoint == OpenAIEndpoints.Chat || embeddingsTranslator is not null) : openAIPath is null)
        {
            ctx.ErrorDetail = $"provider '{row.Slug}' offers no {endpoint} through the unified API";
            return GatewayError.ChatCompletionBadFormat;
        }

        route = new RouteChoice(row, provider, nativeModel, translator, embeddingsTranslator, openAIPath, explicitProvider is not null);
        return GatewayError.None;
    }

    private static GatewayError WriteNative(RequestContext ctx, in TranslateRequest request, in RouteChoice route, ref JsonDocument? document,
        out NativeRequest native)
    {
        native = default;
        var body = request.Body;
        string prefix = route.Row.PathPrefix(route.NativeModel, request.Region);
        if (route.Translator is null)
        {
            // A provider that speaks OpenAI: the caller's body with only the model changed.
            native = new NativeRequest(prefix + route.OpenAIPath,
                ModelRewriter.Rewrite(body.Span, request.PeekedModel, route.Row.BodyModel(route.NativeModel), dropProvider: route.DropProvider),
                null, IncludeUsage: false);
            return GatewayError.None;
        }

        if (document is null && !TryParse(ctx, body, out document))
        {
            return GatewayError.ChatCompletionBadFormat;
        }

        var root = document.RootElement;
        if (route.EmbeddingsTranslator is { } embeddings)
        {
            var buffer = new ArrayBufferWriter<byte>(body.Length + 128);
            string? problem = embeddings.WriteRequest(root, route.NativeModel, buffer, out string nativePath);
            if (problem is not null)
            {
                ctx.ErrorDetail = problem;
                return GatewayError.ChatCompletionBadFormat;
            }

            bool base64 = root.TryGetProperty("encoding_format"u8, out var format) && format.ValueEquals("base64"u8);
            native = new NativeRequest(prefix + nativePath, buffer.WrittenSpan.ToArray(), new EmbeddingsResponse(embeddings, base64), false);
            return GatewayError.None;
        }

        bool includeUsage = root.TryGetProperty("stream_options"u8, out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage"u8, out var include) && include.ValueKind == JsonValueKind.True;
        bool stream = root.TryGetProperty("stream"u8, out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
        var chatBuffer = new ArrayBufferWriter<byte>(body.Length + 256);
        string? chatProblem = route.Translator.WriteRequest(new CompatChatRequest(root, route.NativeModel, stream, includeUsage), chatBuffer,
            out string chatPath);
        if (chatProblem is not null)
        {
            ctx.ErrorDetail = chatProblem;
            return GatewayError.ChatCompletionBadFormat;
        }

        native = new NativeRequest(prefix + chatPath, chatBuffer.WrittenSpan.ToArray(), route.Translator, includeUsage);
        return GatewayError.None;
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

    /// <summary><c>{provider}/{model}</c> → the compat row; 2019 without a prefix, 2008 for an unknown one (docs/gateway-api.md#unified-api).</summary>
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
