using System.Buffers;
using System.IO.Pipelines;
using System.Net;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// The request body, read once from <c>Request.BodyReader</c> into a pooled array, sent upstream with a Content-Length
/// and kept for the JSON peek (and, in later stages, the cache key and retries). Reused across requests by its
/// <see cref="Pipeline.RequestContext"/>.
/// </summary>
internal sealed class PooledBodyContent : HttpContent
{
    private byte[] _buffer = [];
    private int _length;
    private volatile bool _sending;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public int Length => _length;

    /// <summary>True while the upstream handler may still be reading the array: it must not go back to the pool then.</summary>
    public bool IsSending => _sending;

    /// <summary>Reads the whole body; false when it passes <paramref name="maxBytes"/>.</summary>
    public async ValueTask<bool> ReadFromAsync(PipeReader reader, long? contentLength, long maxBytes, CancellationToken cancellationToken)
    {
        _length = 0;
        if (contentLength is long known)
        {
            EnsureCapacity((int)known);
        }

        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (_length + buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return false;
            }

            if (!buffer.IsEmpty)
            {
                EnsureCapacity(_length + (int)buffer.Length);
                buffer.CopyTo(_buffer.AsSpan(_length));
                _length += (int)buffer.Length;
            }

            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return true;
            }
        }
    }

    /// <summary>Replaces the body with <paramref name="body"/> (a DLP-masked copy of it): what is sent, cached on and logged from now on.</summary>
    public void ReplaceWith(ReadOnlySpan<byte> body)
    {
        EnsureCapacity(body.Length);
        body.CopyTo(_buffer);
        _length = body.Length;
    }

    /// <summary>Clears the content headers for the next request; false when the array is still being sent (drop this instance).</summary>
    public bool TryReset()
    {
        if (_sending)
        {
            return false;
        }

        Headers.Clear();
        _length = 0;
        if (_buffer.Length > MaxRetainedBytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        return true;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _sending = true;
        try
        {
            await stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
        }
        finally
        {
            _sending = false;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    // Not calling base.Dispose: HttpRequestMessage disposes its content, and this instance is reused with its context.
    protected override void Dispose(bool disposing)
    {
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Min(_buffer.Length * 2, int.MaxValue / 2)));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }

    // Bodies above 1 MiB go back to the shared pool after the request rather than staying with a pooled context.
    private const int MaxRetainedBytes = 1024 * 1024;
}
