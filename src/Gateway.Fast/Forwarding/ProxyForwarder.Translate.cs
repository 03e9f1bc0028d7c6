using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Caching;
using Gateway.Fast.Compat;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Forwarding;

/// <summary>The relay of a translated (unified API) answer: the provider's bytes in, OpenAI's out.</summary>
/// <remarks>
/// <code>
/// non-2xx     the provider's error body, read (bounded) and rewritten in OpenAI's error shape with the upstream status
/// stream      each chunk as it arrives: translator → client, cache and log (OpenAI bytes)
/// whole body  read (bounded), translated once, sent with its length
/// usage       read by the translator as it translates, with the provider's usage reader, and reported to the log row
///             (UsageReader.Report): the native bytes are not scanned a second time
/// </code>
/// The provider's own headers pass (request ids, rate-limit headers) except the content ones, which describe bytes
/// the client no longer gets. A stream that breaks ends with an error event, as on passthrough.
/// </remarks>
internal sealed partial class ProxyForwarder
{
    public async ValueTask<GatewayError> RelayTranslatedAsync(RequestContext ctx, UpstreamAttempt attempt, ICompatResponseTranslator translator,
        CompatResponseInfo info)
    {
        var upstream = attempt.Response!;
        using (attempt.Message)
        using (upstream)
        {
            var response = ctx.Http.Response;
            int status = (int)upstream.StatusCode;
            response.StatusCode = status;
            CopyNonContentHeaders(upstream, response);
            string? nativeType = upstream.Content.Headers.ContentType?.MediaType;
            bool success = status is >= 200 and < 300;
            if (ctx.Log.Collect && success)
            {
                ctx.Usage.ResetForTranslation();
            }
            else
            {
                ctx.Usage.Reset(Accounting.UsageWireFormat.None);
            }

            var headers = response.Headers;
            headers[CacheHeaders.Status] = CacheHeaders.StatusFor(ctx.Cache.Controls.Mode);
            headers["Server-Timing"] = FormatServerTiming(ctx.StartTimestamp, attempt.SendStart, attempt.HeadersAt);
            bool nativeStream = success && nativeType is "text/event-stream" or "application/vnd.amazon.eventstream";
            response.ContentType = nativeStream ? "text/event-stream; charset=utf-8" : "application/json";
            StartCacheCapture(ctx, status, headers, nativeStream);

            var guard = ctx.Guard is { ChecksResponse: true } g ? g : null;
            RelayResult result;
            if (nativeStream)
            {
                guard?.StartResponse();
                result = await BodyRelay.CopyAsync(ctx, upstream, new TranslatedStreamFilter(translator.CreateStream(info), guard, ctx.Usage), eventStream: true);
            }
            else
            {
                result = await BodyRelay.CopyAsync(ctx, upstream, new TranslatedWholeBodyFilter(translator, info, upstream, response, success ? guard : null, ctx.Usage),
                    eventStream: false);
            }

            return await EndRelayAsync(ctx, result, nativeStream, wholeBody: !nativeStream);
        }
    }

    /// <summary>OpenAI's error shape, <c>{"error":{"message","type","param","code"}}</c>, with the provider's message and status.</summary>
    public static void WriteOpenAIError(IBufferWriter<byte> output, int status, string message)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, message);
        json.WriteString("type"u8, status switch
        {
            400 or 404 or 409 or 413 or 422 => "invalid_request_error",
            401 => "authentication_error",
            403 => "permission_error",
            429 => "rate_limit_error",
            _ => "api_error",
        });
        json.WriteNull("param"u8);
        json.WriteNumber("code"u8, status);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void CopyNonContentHeaders(HttpResponseMessage upstream, HttpResponse response)
    {
        var target = response.Headers;
        foreach (var header in upstream.Headers.NonValidated)
        {
            if (!HeaderRules.SkipResponseHeader(header.Key))
            {
                target[header.Key] = ToStringValues(header.Value);
            }
        }
    }
}
