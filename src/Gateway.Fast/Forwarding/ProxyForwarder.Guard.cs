using System.Buffers;
using System.Diagnostics;
using Gateway.Fast.Guardrails;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Forwarding;

/// <summary>The relay of a 2xx answer that response guardrails or DLP judge (design §2 stage 10, "response guardrails").</summary>
/// <remarks>
/// <code>
/// stream      each chunk is judged before it is written: a BLOCK withholds that chunk and ends the stream with the
///             error event (424, code 2017 or 2030, in the caller's shape); text already sent stays sent
/// whole body  read (bounded), judged, then written, or replaced by the 424 error: nothing of it reaches the caller
/// </code>
/// FLAG verdicts are recorded for the log row and, for a whole body, in <c>cf-aig-dlp</c>. The spec's own gateway
/// buffers streams and answers them non-streamed; this one keeps them streaming, at the cost that a block can only cut.
/// </remarks>
internal sealed partial class ProxyForwarder
{
    private static async ValueTask<GatewayError> CopyGuardedBodyAsync(RequestContext ctx, HttpResponseMessage upstream, bool eventStream,
        CancellationTokenSource cts, GuardState guard)
    {
        guard.StartResponse();
        var scanner = guard.Scanner!;
        var extractor = guard.Extractor!;
        var http = ctx.Http;
        var writer = http.Response.BodyWriter;
        if (!eventStream)
        {
            var body = await ReadBoundedAsync(ctx, upstream, cts.Token, feedUsage: false);
            try
            {
                ResponseTextExtractor.FeedJson(body.Span, scanner);
                var verdict = Judge(guard, scanner.Complete());
                if (verdict != GatewayError.None)
                {
                    ctx.Recorder.Abandon();
                    http.Response.Headers.ContentLength = null;
                    return verdict; // nothing was written: the caller gets the 424 in its shape
                }

                if (guard.DlpHeader() is { } header)
                {
                    http.Response.Headers["cf-aig-dlp"] = header;
                }

                ctx.Tee(body.Span, Stopwatch.GetTimestamp());
                await writer.WriteAsync(body.Memory, cts.Token);
                ctx.Cache.Completed = ctx.Recorder.IsCapturing;
                return GatewayError.None;
            }
            finally
            {
                body.Dispose();
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var source = await upstream.Content.ReadAsStreamAsync(cts.Token);
            while (true)
            {
                long readStart = Stopwatch.GetTimestamp();
                int read = await source.ReadAsync(buffer.AsMemory(), cts.Token);
                long readEnd = Stopwatch.GetTimestamp();
                ctx.UpstreamTicks += readEnd - readStart;
                var chunk = buffer.AsSpan(0, read);
                var verdict = Judge(guard, read == 0 ? extractor.CompleteSse(scanner) : extractor.FeedSse(chunk, scanner));
                if (verdict != GatewayError.None)
                {
                    ctx.Recorder.Abandon();
                    await EndResponseWithErrorAsync(ctx, eventStream: true, verdict);
                    return verdict;
                }

                if (read == 0)
                {
                    ctx.Cache.Completed = ctx.Recorder.IsCapturing;
                    return GatewayError.None;
                }

                ctx.Tee(chunk, readEnd);
                writer.Write(chunk);
                var flush = await writer.FlushAsync(cts.Token);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    ctx.Recorder.Abandon();
                    return GatewayError.ClientClosed;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ctx.Recorder.Abandon();
            var error = ForwardingFailure.Classify(ex, http, cts);
            if (error != GatewayError.ClientClosed)
            {
                await EndBrokenResponseAsync(ctx, eventStream: true);
            }

            return error;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Records <paramref name="verdict"/> on the request's guard state; the error to answer when it blocks.</summary>
    internal static GatewayError Judge(GuardState guard, in ResponseVerdict verdict)
    {
        guard.Response = verdict.Dlp;
        if (verdict.Action == GuardAction.Block || verdict.Dlp.Matched || verdict.Guardrails.Action != GuardAction.None)
        {
            guard.RecordResponse(verdict.Guardrails);
        }

        return verdict.Action == GuardAction.Block ? verdict.Error : GatewayError.None;
    }
}
