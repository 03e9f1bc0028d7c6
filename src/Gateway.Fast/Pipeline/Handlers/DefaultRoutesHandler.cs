using Gateway.Fast.Errors;
using Gateway.Fast.Access;
using Gateway.Fast.Pipeline.Stages;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>
/// The default gateway's OpenAI-style shortcuts (docs/gateway-api.md#default-routes): <c>/v1/chat/completions</c>, <c>/v1/completions</c>,
/// <c>/v1/embeddings</c> routed by model name on the gateway <c>default</c>, plus the catalog questions
/// <c>/v1/models</c>, <c>/v1/model-options</c>, <c>/v1/route-check?model=</c> and <c>/v1/tokenize</c>.
/// </summary>
internal sealed class DefaultRoutesHandler(DefaultRoutesAuth auth, AdmissionStage admission, UnifiedHandler unified, CatalogEndpoints catalog)
    : IRouteHandler
{
    public async ValueTask<GatewayError> RunAsync(RequestContext ctx)
    {
        ctx.Shape = ErrorShape.OpenAI;
        var http = ctx.Http;
        if (!auth.IsAllowed(http.Request))
        {
            ctx.ErrorDetail = ErrorDetails.AuthTokenExpected;
            return GatewayError.Unauthorized;
        }

        string rest = ctx.Rest.ToString();
        switch (rest)
        {
            case OpenAIEndpoints.Chat or OpenAIEndpoints.Embeddings or OpenAIEndpoints.LegacyCompletions:
                if (!HttpMethods.IsPost(http.Request.Method))
                {
                    ctx.ErrorDetail = "use POST";
                    return GatewayError.ChatCompletionBadFormat;
                }

                var gatewayError = await admission.AdmitAsync(ctx);
                return gatewayError != GatewayError.None ? gatewayError : await unified.RunUnifiedAsync(ctx, rest, modelRouting: true);
            case OpenAIEndpoints.Models:
                await CatalogEndpoints.WriteJsonAsync(http, catalog.WriteModels);
                return GatewayError.None;
            case "model-options":
                await CatalogEndpoints.WriteJsonAsync(http, CatalogEndpoints.WriteModelOptions);
                return GatewayError.None;
            case "route-check":
                return await CatalogEndpoints.RouteCheckAsync(ctx);
            case "tokenize":
                return await catalog.TokenizeAsync(ctx);
            default:
                ctx.ErrorDetail = "the default routes are chat/completions, completions, embeddings, models, model-options, route-check and tokenize";
                return GatewayError.RouteNotAvailable;
        }
    }
}
