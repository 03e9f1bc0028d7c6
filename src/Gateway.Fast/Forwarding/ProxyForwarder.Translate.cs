using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Gateway.Fast.Caching;
using Gateway.Fast.Compat;
using Gateway.Fast.Errors;
using Gateway.Fast.Guardrails;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Forwarding;

/// <summary>The relay of a translated (unified API) answer: the provider's bytes in, OpenAI's out.</summary>
/// <remarks>
/// <code>
/// non-2xx     the provider's error body, read (bounded) and rewritten in OpenAI's error shape with the upstream status
/// stream      each chunk as it arrives: usage reader (native bytes) → translator → client, cache and log (OpenAI bytes)
/// whole body  read (bounded), translated once, sent with its length
/// </code>
/// The provider's own headers pass (request ids, rate-limit headers) except the content ones, which describe bytes
/// the client no longer gets. A stream that breaks ends with an error event, as on passthrough.
/// </remarks>
internal sealed partial class ProxyForwarder
{
    /// <summary>Largest non-streamed provider body translated (a chat answer is far smaller; the rest is refused as a broken upstream).</summary>
    private const int MaxTranslatedBodyBytes = 32 * 1024 * 1024;

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
            response.ContentType = nativeType; // the usage reader picks its format from the native type
            SelectUsageReader(ctx, response);
            var headers = response.Headers;
            headers[CacheHeaders.Status] = CacheHeaders.StatusFor(ctx.Cache.Controls.Mode);
            headers["Server-Timing"] = FormatServerTiming(ctx.StartTimestamp, attempt.SendStart, attempt.HeadersAt);
            var cts = ctx.Cancellation;
            bool success = status is >= 200 and < 300;
            bool nativeStream = success && nativeType is "text/event-stream" or "application/vnd.amazon.eventstream";
            response.ContentType = nativeStream ? "text/event-stream; charset=utf-8" : "application/json";
            var cache = ctx.Cache.Controls;
            if (success && cache.Mode == CacheMode.On && (!nativeStream || cache.StreamsAllowed))
            {
                ctx.Recorder.Start(status, headers, nativeStream);
            }

            if (!ctx.Recorder.IsCapturing)
            {
                ctx.Cache.LandFlight(uncacheable: success); // identical requests waiting on this one need not wait longer
            }

            try
            {
                if (nativeStream)
                {
                    await response.StartAsync(cts.Token);
                    return await TranslateStreamAsync(ctx, upstream, translator.CreateStream(info), cts);
                }

                var body = await ReadBoundedAsync(ctx, upstream, cts.Token);
                try
                {
                    var output = new ArrayBufferWriter<byte>(success ? body.Length + 256 : 256);
                    if (success)
                    {
                        translator.WriteResponse(body.Span, info, output);
                        if (ctx.Guard is { ChecksResponse: true } guard)
                        {
                            // The caller's words are judged, whatever the provider's shape was.
                            guard.StartResponse();
                            ResponseTextExtractor.FeedJson(output.WrittenSpan, guard.Scanner!);
                            var blocked = Judge(guard, guard.Scanner!.Complete());
                            if (blocked != GatewayError.None)
                            {
                                ctx.Recorder.Abandon();
                                return blocked;
                            }

                            if (guard.DlpHeader() is { } dlpHeader)
                            {
                                headers["cf-aig-dlp"] = dlpHeader;
                            }
                        }
                    }
                    else
                    {
                        WriteOpenAIError(output, status, translator.ReadErrorMessage(body.Span) ?? upstream.ReasonPhrase ?? "Provider error");
                    }

                    response.ContentLength = output.WrittenCount;
                    ctx.TeeOutput(output.WrittenSpan, Stopwatch.GetTimestamp());
                    await response.BodyWriter.WriteAsync(output.WrittenMemory, cts.Token);
                    ctx.Cache.Completed = ctx.Recorder.IsCapturing;
                    return GatewayError.None;
                }
                finally
                {
                    body.Dispose();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ctx.Recorder.Abandon();
                var error = ForwardingFailure.Classify(ex, ctx.Http, cts);
                if (error != GatewayError.ClientClosed && response.HasStarted)
                {
                    await EndBrokenResponseAsync(ctx, eventStream: nativeStream);
                }

                return error;
            }
        }
    }

    private static async ValueTask<GatewayError> TranslateStreamAsync(RequestContext ctx, HttpResponseMessage upstream, IChatStreamTranslator stream,
        CancellationTokenSource cts)
    {
        using var translator = stream;
        var writer = ctx.Http.Response.BodyWriter;
        var guard = ctx.Guard is { ChecksResponse: true } g ? g : null;
        guard?.StartResponse();
        var output = new ArrayBufferWriter<byte>(4096);
        var input = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var source = await upstream.Content.ReadAsStreamAsync(cts.Token);
            while (true)
            {
                long readStart = Stopwatch.GetTimestamp();
                int read = await source.ReadAsync(input.AsMemory(), cts.Token);
                long readEnd = Stopwatch.GetTimestamp();
                ctx.UpstreamTicks += readEnd - readStart;
                output.ResetWrittenCount();
                if (read == 0)
                {
                    translator.Complete(output);
                }
                else
                {
                    ctx.Usage.Append(input.AsSpan(0, read)); // usage from the provider's own words
                    translator.Write(input.AsSpan(0, read), output);
                }

                if (guard is not null)
                {
                    var verdict = guard.Extractor!.FeedSse(output.WrittenSpan, guard.Scanner!); // the translated words, as the caller reads them
                    if (read == 0)
                    {
                        verdict = guard.Extractor.CompleteSse(guard.Scanner!);
                    }

                    var blocked = Judge(guard, verdict);
                    if (blocked != GatewayError.None)
                    {
                        ctx.Recorder.Abandon();
                        await EndResponseWithErrorAsync(ctx, eventStream: true, blocked);
                        return blocked;
                    }
                }

                if (output.WrittenCount > 0)
                {
                    ctx.TeeOutput(output.WrittenSpan, readEnd);
                    writer.Write(output.WrittenSpan);
                    var flush = await writer.FlushAsync(cts.Token);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        ctx.Recorder.Abandon();
                        return GatewayError.ClientClosed;
                    }
                }

                if (read == 0)
                {
                    if (translator.UpstreamFailed)
                    {
                        ctx.Recorder.Abandon(); // an answer that ended in the provider's error is never cached, and its row says failed
                        return GatewayError.UpstreamUnavailable;
                    }

                    ctx.Cache.Completed = ctx.Recorder.IsCapturing;
                    return GatewayError.None;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>The whole upstream body in a pooled buffer (the caller disposes it); a body past the bound is an upstream failure.</summary>
    private static async ValueTask<PooledBytes> ReadBoundedAsync(RequestContext ctx, HttpResponseMessage upstream, CancellationToken token,
        bool feedUsage = true)
    {
        using var source = await upstream.Content.ReadAsStreamAsync(token);
        var buffer = ArrayPool<byte>.Shared.Rent(upstream.Content.Headers.ContentLength is long known and > 0 and < MaxTranslatedBodyBytes ? (int)known + 1 : 16 * 1024);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxTranslatedBodyBytes)
                    {
                        throw new HttpRequestException("The provider's answer is larger than the gateway translates.");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                long readStart = Stopwatch.GetTimestamp();
                int read = await source.ReadAsync(buffer.AsMemory(length), token);
                ctx.UpstreamTicks += Stopwatch.GetTimestamp() - readStart;
                if (read == 0)
                {
                    if (feedUsage)
                    {
                        ctx.Usage.Append(buffer.AsSpan(0, length));
                    }

                    return new PooledBytes(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
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

    private readonly struct PooledBytes(byte[] array, int length) : IDisposable
    {
        public int Length => length;

        public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

        public ReadOnlyMemory<byte> Memory => array.AsMemory(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(array);
    }
}
