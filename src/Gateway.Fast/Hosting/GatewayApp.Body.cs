using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Fast.Hosting;

/// <summary>The body stage (design §2 stage 5): JSON bodies read once into the context's pooled buffer and peeked.</summary>
internal sealed partial class GatewayApp
{
    private static bool HasBody(RequestContext ctx) => ctx.Http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private async ValueTask<GatewayError> ReadBodyAsync(RequestContext ctx)
    {
        var http = ctx.Http;
        var request = http.Request;
        if (!HasBody(ctx))
        {
            return GatewayError.None;
        }

        long max = _options.MaxRequestBodyBytes;
        if (request.ContentLength > max)
        {
            return GatewayError.RequestBodyTooLarge;
        }

        string? contentType = request.ContentType;
        if (contentType is not null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            && !Guardrails.GuardPolicies.For(ctx.Gateway!).ChecksRequest)
        {
            return GatewayError.None; // audio, images, multipart: streamed to the upstream as they come
        }

        // A gateway that checks prompts reads every body, whatever its Content-Type says, so a relabelled request cannot
        // slip past DLP and the guardrails; the raw bytes are scanned when they are not JSON.

        try
        {
            if (!await ctx.Body.ReadFromAsync(request.BodyReader, request.ContentLength, max, http.RequestAborted))
            {
                return GatewayError.RequestBodyTooLarge;
            }
        }
        catch (Exception ex)
        {
            return ForwardingFailure.Classify(ex, http, ctx.Cancellation);
        }

        ctx.BodyBuffered = true;
        ctx.LogRequestBody = ctx.Body.Memory;
        ctx.SigningBody = ctx.Body.Memory;
        if (RequestBodyPeek.TryPeek(ctx.Body.Span, out var model, out bool stream))
        {
            ctx.Model = model;
            ctx.IsStream = stream;
        }

        return GatewayError.None;
    }
}
