using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Caching;

/// <summary>Writes a cached response to the client: status, stored headers, <c>cf-aig-cache-status: HIT</c>, then the body.</summary>
/// <remarks>
/// A JSON (or any non-stream) body gets a fresh Content-Length and goes out in 64 KiB writes with one flush each. A
/// stored event stream is replayed as one: the stored bytes are the SSE bytes as the upstream sent them, written event by
/// event and flushed at each blank line (<c>\n\n</c> or <c>\r\n\r\n</c>), so an SDK reading the stream sees events,
/// not one late blob.
/// </remarks>
public static class CacheReplay
{
    // Kestrel's pipe accepts the write either way; 64 KiB bounds how much sits unflushed (StreamCopier's buffer size).
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Sends <paramref name="cached"/>; the caller still owns and disposes it.</summary>
    public static Task WriteAsync(HttpResponse response, CachedResponse cached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!cached.IsHit)
        {
            throw new ArgumentException("Only a hit can be replayed.", nameof(cached));
        }

        response.StatusCode = cached.StatusCode;
        var headers = response.Headers;
        foreach (var header in cached.Headers)
        {
            string name = HeaderStringCache.Get(header.Name);
            string value = HeaderStringCache.Get(header.Value);
            var existing = headers[name];
            headers[name] = existing.Count == 0 ? new StringValues(value) : StringValues.Concat(existing, value);
        }

        headers[CacheHeaders.Status] = CacheHeaders.Hit;
        if (cached.IsEventStream)
        {
            return WriteEventsAsync(response, cached.BodyMemory, cancellationToken);
        }

        response.ContentLength = cached.Body.Length;
        return WriteChunksAsync(response, cached.BodyMemory, cancellationToken);
    }

    /// <summary>Length of the first event in <paramref name="span"/> including its blank line; the whole span when none ends.</summary>
    public static int NextEventLength(ReadOnlySpan<byte> span)
    {
        int searched = 0;
        while (true)
        {
            int lf = span[searched..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                return span.Length;
            }

            int at = searched + lf + 1;
            if (at < span.Length && span[at] == (byte)'\n')
            {
                return at + 1;
            }

            if (at + 1 < span.Length && span[at] == (byte)'\r' && span[at + 1] == (byte)'\n')
            {
                return at + 2;
            }

            searched = at;
        }
    }

    private static async Task WriteEventsAsync(HttpResponse response, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        var writer = response.BodyWriter;
        while (!body.IsEmpty)
        {
            int length = NextEventLength(body.Span);
            writer.Write(body.Span[..length]);
            body = body[length..];
            var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return; // the client left
            }
        }
    }

    private static async Task WriteChunksAsync(HttpResponse response, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        do
        {
            int length = Math.Min(body.Length, ChunkBytes);
            writer.Write(body.Span[..length]);
            body = body[length..];
            var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return;
            }
        }
        while (!body.IsEmpty);
    }
}
