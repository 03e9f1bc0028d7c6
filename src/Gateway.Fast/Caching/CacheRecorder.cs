using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Fast.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Caching;

/// <summary>The tee of a cache miss: copies the response as it streams to the client into one pooled buffer, then stores it whole.</summary>
/// <remarks>
/// <code>
/// Start(status, headers)  2xx only: writes the entry's fixed part and the stored headers (see ShouldStore)
/// Append(chunk)            memcpy into the pooled buffer (doubling); past the maximum the capture is abandoned
/// CommitAsync(...)         only after the upstream ended normally: stamps created/expiry, one upsert, buffer returned
/// Abandon()/Dispose()      any other ending; nothing is stored, the buffer goes back to the pool
/// </code>
/// Nothing here waits on I/O before the response is complete, so the client sees no added latency. Not thread-safe:
/// one request owns one recorder.
/// </remarks>
public sealed class CacheRecorder : IDisposable
{
    /// <summary>Default largest entry: Cloudflare's documented 25 MB request limit, applied to responses too.</summary>
    public const int DefaultMaxEntryBytes = 25 * 1024 * 1024;

    // Most JSON answers and short streams fit: one rent, no growth.
    private const int InitialBytes = 16 * 1024;

    private readonly int _maxEntryBytes;
    private byte[]? _buffer;
    private int _length;
    private int _bodyStart;

    public CacheRecorder(int maxEntryBytes = DefaultMaxEntryBytes) => _maxEntryBytes = Math.Max(maxEntryBytes, CacheEntry.MinSize);

    /// <summary>True between a successful <see cref="Start"/> and the commit or abandonment.</summary>
    public bool IsCapturing => _buffer is not null;

    /// <summary>Bytes captured so far, entry overhead included.</summary>
    public int Length => _length;

    /// <summary>Begins a capture; false (nothing captured) unless the status is 2xx.</summary>
    /// <param name="statusCode">The status sent to the client.</param>
    /// <param name="headers">The response headers as sent; hop-by-hop, Content-Length, Set-Cookie, Date, Server-Timing and cf-aig-* are left out.</param>
    /// <param name="eventStream">True when the body is <c>text/event-stream</c>; replay then flushes per event.</param>
    public bool Start(int statusCode, IHeaderDictionary headers, bool eventStream)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Abandon();
        if (statusCode is < 200 or > 299)
        {
            return false;
        }

        _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
        var fixedPart = _buffer.AsSpan(0, CacheEntry.FixedSize);
        fixedPart.Clear();
        CacheEntry.Magic.CopyTo(fixedPart);
        BinaryPrimitives.WriteUInt16LittleEndian(fixedPart[CacheEntry.StatusOffset..], (ushort)statusCode);
        fixedPart[CacheEntry.FlagsOffset] = eventStream ? CacheEntry.EventStreamFlag : (byte)0;
        _length = CacheEntry.FixedSize;

        int count = 0;
        foreach (var header in headers)
        {
            if (!ShouldStore(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                if (++count > ushort.MaxValue || !TryAppendHeader(header.Key, value ?? string.Empty))
                {
                    Abandon();
                    return false;
                }
            }
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(CacheEntry.HeaderCountOffset), (ushort)count);
        if (!TryReserve(4))
        {
            return false;
        }

        _length += 4; // body length, written at completion
        _bodyStart = _length;
        return true;
    }

    /// <summary>Copies a chunk of the body as it went to the client; abandons the capture past the maximum entry size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(ReadOnlySpan<byte> chunk)
    {
        var buffer = _buffer;
        if (buffer is null)
        {
            return;
        }

        // One compare on the common path: room left in the buffer, never past the maximum entry size.
        if (chunk.Length > Math.Min(buffer.Length, _maxEntryBytes) - _length && !TryReserve(chunk.Length))
        {
            return;
        }

        chunk.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
    }

    /// <summary>Stores the captured response for <paramref name="ttlSeconds"/>; call only after the upstream ended normally.</summary>
    /// <param name="store">Where the entry goes.</param>
    /// <param name="key">The request's key.</param>
    /// <param name="nowUnixMs">Now, the entry's creation time.</param>
    /// <param name="ttlSeconds">How long it lives.</param>
    /// <param name="usage">The usage the answer reported, stored with it when <see cref="Accounting.Usage.Found"/>
    /// (an estimate is not: it would pass for the provider's count).</param>
    /// <returns>True when an entry was handed to the store.</returns>
    public ValueTask<bool> CommitAsync(ICacheStore store, in CacheKey key, long nowUnixMs, int ttlSeconds, in Accounting.Usage usage = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        // The trailer only where it cannot push the entry past the store's limit (which may be under this recorder's).
        var stored = usage.Found && (long)_length + CacheEntry.UsageFixedSize + MaxModelBytes <= store.MaxEntryBytes ? usage : default;
        if (ttlSeconds <= 0 || _length > store.MaxEntryBytes
            || !TryComplete(nowUnixMs, nowUnixMs + ttlSeconds * 1000L, in stored, out var entry))
        {
            Abandon();
            return new(false);
        }

        ValueTask write;
        try
        {
            write = store.SetAsync(in key, entry);
        }
        catch
        {
            Abandon();
            throw;
        }

        if (write.IsCompletedSuccessfully)
        {
            Abandon(); // the store has copied the bytes; the buffer goes back
            return new(true);
        }

        return AwaitWriteAsync(write);
    }

    /// <summary>Drops the capture and returns the buffer; safe to call at any time, any number of times.</summary>
    public void Abandon()
    {
        var buffer = _buffer;
        _buffer = null;
        _length = 0;
        _bodyStart = 0;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => Abandon();

    /// <summary>True for response headers a replay may send again: end-to-end, not recomputed, not per-request, not a cookie.</summary>
    public static bool ShouldStore(string name)
        => !HeaderRules.IsHopByHop(name)
            && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
            && !name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
            && !name.Equals("Date", StringComparison.OrdinalIgnoreCase)
            && !name.Equals("Server-Timing", StringComparison.OrdinalIgnoreCase)
            && !name.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes created, expiry and the body length; the entry stays owned by this recorder until <see cref="Abandon"/>.</summary>
    internal bool TryComplete(long createdUnixMs, long expiresUnixMs, out ReadOnlyMemory<byte> entry)
        => TryComplete(createdUnixMs, expiresUnixMs, default, out entry);

    /// <summary>As the other overload, with the usage trailer when <paramref name="usage"/> was found and its model's
    /// name is short (a longer one, or no room under the maximum size, stores the entry without it).</summary>
    internal bool TryComplete(long createdUnixMs, long expiresUnixMs, in Accounting.Usage usage, out ReadOnlyMemory<byte> entry)
    {
        entry = default;
        if (_buffer is null || _length < _bodyStart)
        {
            return false;
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_bodyStart - 4), _length - _bodyStart);
        if (usage.Found)
        {
            AppendUsage(in usage);
        }

        var span = _buffer.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span[CacheEntry.TotalLengthOffset..], _length);
        BinaryPrimitives.WriteInt64LittleEndian(span[CacheEntry.CreatedOffset..], createdUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[CacheEntry.ExpiresOffset..], expiresUnixMs);
        entry = _buffer.AsMemory(0, _length);
        return true;
    }

    /// <summary>Most model names are a few dozen bytes; one past this is left out with the rest of the trailer.</summary>
    private const int MaxModelBytes = 256;

    private void AppendUsage(in Accounting.Usage usage)
    {
        string model = usage.Model ?? string.Empty;
        int modelBytes = model.Length <= MaxModelBytes ? System.Text.Encoding.UTF8.GetByteCount(model) : MaxModelBytes + 1;
        int size = CacheEntry.UsageFixedSize + modelBytes;
        if (modelBytes > MaxModelBytes || (long)_length + size > _maxEntryBytes || !TryReserve(size))
        {
            return; // checked against the maximum first: TryReserve abandons the whole capture past it
        }

        var buffer = _buffer!; // TryReserve may have moved it to a larger array
        var trailer = buffer.AsSpan(_length, size);
        BinaryPrimitives.WriteInt32LittleEndian(trailer, usage.InputTokens);
        BinaryPrimitives.WriteInt32LittleEndian(trailer[4..], usage.OutputTokens);
        BinaryPrimitives.WriteInt32LittleEndian(trailer[8..], usage.CachedInputTokens ?? -1);
        BinaryPrimitives.WriteUInt16LittleEndian(trailer[12..], (ushort)modelBytes);
        System.Text.Encoding.UTF8.GetBytes(model, trailer[CacheEntry.UsageFixedSize..]);
        buffer[CacheEntry.FlagsOffset] |= CacheEntry.UsageFlag;
        _length += size;
    }

    private async ValueTask<bool> AwaitWriteAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
            return true;
        }
        finally
        {
            Abandon();
        }
    }

    private bool TryAppendHeader(string name, string value)
    {
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        int valueBytes = Encoding.UTF8.GetByteCount(value);
        if (nameBytes is 0 or > ushort.MaxValue || !TryReserve(2 + nameBytes + 4 + valueBytes))
        {
            return false;
        }

        var span = _buffer.AsSpan(_length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)nameBytes);
        Encoding.UTF8.GetBytes(name, span[2..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[(2 + nameBytes)..], valueBytes);
        Encoding.UTF8.GetBytes(value, span[(6 + nameBytes)..]);
        _length += 6 + nameBytes + valueBytes;
        return true;
    }

    /// <summary>Makes room for <paramref name="bytes"/> more; abandons the capture (false) past the maximum entry size.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReserve(int bytes)
    {
        var buffer = _buffer!;
        long needed = (long)_length + bytes;
        if (needed > _maxEntryBytes)
        {
            Abandon();
            return false;
        }

        if (needed <= buffer.Length)
        {
            return true;
        }

        int size = (int)Math.Min(Math.Max(needed, (long)buffer.Length * 2), _maxEntryBytes);
        var grown = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, _length).CopyTo(grown);
        _buffer = grown;
        ArrayPool<byte>.Shared.Return(buffer);
        return true;
    }
}
