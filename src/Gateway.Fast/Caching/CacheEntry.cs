using System.Buffers.Binary;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Caching;

/// <summary>The binary, versioned layout of one stored response, and its validating reader.</summary>
/// <remarks>
/// <code>
/// offset size
///  0     4    magic "GC", version 1, 0
///  4     4    total length of the entry (int32)
///  8     8    created, unix ms (int64)
/// 16     8    expires, unix ms (int64)
/// 24     2    status code (uint16)
/// 26     1    flags: bit 0 = text/event-stream body
/// 27     1    reserved (0)
/// 28     2    header count (uint16)
/// 30          per header: name length (uint16, &gt; 0), name (UTF-8), value length (int32), value (UTF-8)
///   …    4    body length (int32), then the body; the body ends exactly at the total length
/// </code>
/// All integers little-endian. <see cref="TryParse"/> checks every length against the bytes it has, so a truncated or
/// torn value is a miss, never a response.
/// </remarks>
public static class CacheEntry
{
    public const byte Version = 1;
    public const int FixedSize = 30;
    public const int MinSize = FixedSize + 4;
    public const byte EventStreamFlag = 1;

    internal const int TotalLengthOffset = 4;
    internal const int CreatedOffset = 8;
    internal const int ExpiresOffset = 16;
    internal const int StatusOffset = 24;
    internal const int FlagsOffset = 26;
    internal const int HeaderCountOffset = 28;

    internal static ReadOnlySpan<byte> Magic => [(byte)'G', (byte)'C', Version, 0];

    /// <summary>Validates an entry and returns where its parts are; false for anything malformed or cut short.</summary>
    public static bool TryParse(ReadOnlySpan<byte> entry, out CacheEntryInfo info)
    {
        info = default;
        if (entry.Length < MinSize || !entry[..4].SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt32LittleEndian(entry[TotalLengthOffset..]) != entry.Length)
        {
            return false;
        }

        int status = BinaryPrimitives.ReadUInt16LittleEndian(entry[StatusOffset..]);
        byte flags = entry[FlagsOffset];
        if (status is < 100 or > 599 || (flags & ~EventStreamFlag) != 0 || entry[27] != 0)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(entry[HeaderCountOffset..]);
        int pos = FixedSize;
        for (int i = 0; i < count; i++)
        {
            if (entry.Length - pos < 2)
            {
                return false;
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[pos..]);
            pos += 2;
            if (nameLength == 0 || entry.Length - pos < nameLength + 4)
            {
                return false;
            }

            pos += nameLength;
            int valueLength = BinaryPrimitives.ReadInt32LittleEndian(entry[pos..]);
            pos += 4;
            if (valueLength < 0 || entry.Length - pos < valueLength)
            {
                return false;
            }

            pos += valueLength;
        }

        if (entry.Length - pos < 4)
        {
            return false;
        }

        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(entry[pos..]);
        pos += 4;
        if (bodyLength < 0 || entry.Length - pos != bodyLength)
        {
            return false;
        }

        info = new CacheEntryInfo(
            status,
            (flags & EventStreamFlag) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(entry[CreatedOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(entry[ExpiresOffset..]),
            count,
            pos - 4 - FixedSize,
            pos,
            bodyLength);
        return true;
    }

    /// <summary>Builds a whole entry in a new array: for tests, benchmarks and cold paths (the hot path uses <see cref="CacheRecorder"/>).</summary>
    public static byte[] Create(int statusCode, IHeaderDictionary headers, bool eventStream, ReadOnlySpan<byte> body,
        long createdUnixMs, long expiresUnixMs)
    {
        using var recorder = new CacheRecorder(int.MaxValue);
        if (!recorder.Start(statusCode, headers, eventStream))
        {
            throw new ArgumentException("Only 2xx responses with fewer than 65,536 headers can be stored.", nameof(statusCode));
        }

        recorder.Append(body);
        return recorder.TryComplete(createdUnixMs, expiresUnixMs, out var entry)
            ? entry.ToArray()
            : throw new InvalidOperationException("The entry could not be completed.");
    }
}

/// <summary>Where the parts of a validated entry lie; produced only by <see cref="CacheEntry.TryParse"/>.</summary>
public readonly record struct CacheEntryInfo(
    int StatusCode,
    bool IsEventStream,
    long CreatedUnixMs,
    long ExpiresUnixMs,
    int HeaderCount,
    int HeadersLength,
    int BodyOffset,
    int BodyLength);
