using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>Stage 3, body: a JSON body read once into the context's pooled buffer and peeked for <c>model</c> and <c>stream</c>.</summary>
/// <remarks>
/// Other bodies (audio, images, multipart) are not read here: they stream to the upstream as they come, and are neither
/// cached nor logged. A gateway that checks prompts reads every body whatever its Content-Type says, so a relabelled
/// request cannot slip past DLP and the guardrails.
/// </remarks>
internal sealed class BodyStage(IOptions<GatewayOptions> options)
{
    private readonly long _maxBytes = options.Value.MaxRequestBodyBytes;

    /// <summary>True when the request can carry a body at all (Kestrel knows from Content-Length / Transfer-Encoding).</summary>
    public static bool HasBody(RequestContext ctx) => ctx.Http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    public async ValueTask<GatewayError> ReadAsync(RequestContext ctx)
    {
        var http = ctx.Http;
        var request = http.Request;
        if (!HasBody(ctx))
        {
            return GatewayError.None;
        }

        if (request.ContentLength > _maxBytes)
        {
            return GatewayError.RequestBodyTooLarge;
        }

        string? contentType = request.ContentType;
        if (contentType is not null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            && !Guardrails.GuardPolicies.For(ctx.Gateway!).ChecksRequest)
        {
            return GatewayError.None;
        }

        try
        {
            if (!await ctx.Body.ReadFromAsync(request.BodyReader, request.ContentLength, _maxBytes, http.RequestAborted))
            {
                return GatewayError.RequestBodyTooLarge;
            }
        }
        catch (Exception ex)
        {
            return ForwardingFailure.Classify(ex, http, ctx.Cancellation);
        }

        ctx.BodyBuffered = true;
        ctx.Log.RequestBody = ctx.Body.Memory;
        ctx.Auth.SigningBody = ctx.Body.Memory;
        if (RequestBodyPeek.TryPeek(ctx.Body.Span, out var model, out bool stream))
        {
            ctx.Model = model;
            ctx.IsStream = stream;
        }

        return GatewayError.None;
    }
}
