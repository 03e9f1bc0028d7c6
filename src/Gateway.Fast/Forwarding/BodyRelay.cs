using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;

namespace Gateway.Fast.Forwarding;

/// <summary>The one loop that moves an answer's body from the upstream to the client, through a body filter.</summary>
/// <remarks>
/// <code>
/// wait     event streams: a zero-byte read, so no buffer is held until the provider's next chunk is there
/// read     upstream Stream → filter.ReadBuffer (the client's own buffer for passthrough: no copy), timed into UpstreamTicks
/// filter   input → output: as is, held until judged (guardrails), or rewritten (provider stream → OpenAI SSE, whole body)
/// tee      input to the usage reader; output to the cache recorder and the log body (RequestContext.Tee*)
/// write    output to Response.BodyWriter, flushed once per read that produced any, so an SSE event is never held
/// end      read returns 0: the filter's last output, then Success (or ProviderError when its stream said so)
/// </code>
/// Nothing else happens here: the caller (<see cref="ProxyForwarder"/>) turns the <see cref="RelayResult"/> into the end of
/// the response (an error event, an abort, the cache entry kept or abandoned) and reports a failure once. Exceptions are
/// caught here only, and sorted by <see cref="ForwardingFailure"/>, as YARP's StreamCopier returns a result, not a throw.
/// The loop allocates nothing per chunk: buffers are the pipe's or pooled by the filter, and each await is a ValueTask.
/// </remarks>
internal static class BodyRelay
{
    /// <param name="ctx">The request, whose response status and headers are already set.</param>
    /// <param name="upstream">The answer whose body is read; disposed by the caller.</param>
    /// <param name="filter">Passed by value: the relay owns it from here and disposes it.</param>
    /// <param name="eventStream">The client gets an event stream: its headers go out before the first read.</param>
    public static async ValueTask<RelayResult> CopyAsync<TFilter>(RequestContext ctx, HttpResponseMessage upstream, TFilter filter, bool eventStream)
        where TFilter : struct, IBodyFilter
    {
        var http = ctx.Http;
        var writer = http.Response.BodyWriter;
        var cts = ctx.Cancellation;
        try
        {
            // A stream's log body is held until the stream ends: its full blocks are kept compressed meanwhile.
            ctx.ResponseCapture.CompressFullBlocks = eventStream;
            if (eventStream && !http.Response.HasStarted)
            {
                await http.Response.StartAsync(cts.Token); // the client sees the headers before the first event
            }

            using var source = await upstream.Content.ReadAsStreamAsync(cts.Token);
            while (true)
            {
                long readStart = Stopwatch.GetTimestamp();
                if (eventStream)
                {
                    // A stream spends most of its life waiting for the provider's next event. Waiting with a zero-byte read
                    // holds none of the relay's buffers (the filter's goes back to the pool, the client's pipe memory is
                    // not taken yet); SocketsHttpHandler's response streams pass the zero-byte read on to the socket.
                    filter.ReleaseReadBuffer();
#pragma warning disable CA2022 // the zero-byte read's count is always 0: it only waits until the next chunk is there
                    await source.ReadAsync(Memory<byte>.Empty, cts.Token);
#pragma warning restore CA2022
                }

                var buffer = filter.ReadBuffer(writer);
                int read = await source.ReadAsync(buffer, cts.Token);
                long readEnd = Stopwatch.GetTimestamp();
                ctx.UpstreamTicks += readEnd - readStart;

                var verdict = Pass(ref filter, ctx, writer, buffer.Span[..read], end: read == 0, readEnd, out bool wrote);
                if (verdict != GatewayError.None)
                {
                    return RelayResult.Blocked(verdict);
                }

                if (wrote)
                {
                    var flush = await writer.FlushAsync(cts.Token);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        return RelayResult.ClientGone;
                    }
                }

                if (read == 0)
                {
                    return filter.UpstreamFailed ? RelayResult.ProviderError : RelayResult.Success;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return RelayResult.Failed(ex, ForwardingFailure.Classify(ex, http, cts));
        }
        finally
        {
            filter.Dispose();
        }
    }

    /// <summary>Hands one read to the filter, tees and writes what it gives back; <paramref name="wrote"/> when anything went out.</summary>
    private static GatewayError Pass<TFilter>(ref TFilter filter, RequestContext ctx, PipeWriter writer, ReadOnlySpan<byte> input, bool end,
        long timestamp, out bool wrote)
        where TFilter : struct, IBodyFilter
    {
        wrote = false;
        ReadOnlySpan<byte> output;
        GatewayError verdict;
        if (end)
        {
            verdict = filter.OnEnd(out output);
        }
        else
        {
            ctx.Usage.Append(input); // usage from the provider's own bytes, whatever the client gets
            verdict = filter.OnChunk(input, out output);
        }

        if (verdict != GatewayError.None || output.IsEmpty)
        {
            return verdict;
        }

        ctx.TeeOutput(output, timestamp); // cache entry, log body: memcpy into pooled memory as the bytes go out
        if (filter.InPlace)
        {
            writer.Advance(output.Length);
        }
        else
        {
            writer.Write(output);
        }

        wrote = true;
        return GatewayError.None;
    }
}
