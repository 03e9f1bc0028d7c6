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
/// 26     1    flags: bit 0 = text/event-stream body, bit 1 = a usage trailer follows the body
/// 27     1    reserved (0)
/// 28     2    header count (uint16)
/// 30          per header: name length (uint16, &gt; 0), name (UTF-8), value length (int32), value (UTF-8)
///   …    4    body length (int32), then the body
///   …         with bit 1: input tokens (int32), output tokens (int32), cached input tokens (int32, -1 = none),
///             model length (uint16), model (UTF-8)
/// </code>
/// The entry ends exactly where its last part does. All integers little-endian. <see cref="TryParse"/> checks every
/// length against the bytes it has, so a truncated or torn value is a miss, never a response.
/// <para>The usage trailer is the usage the provider reported in the stored answer, so a HIT's log row takes it from here
/// instead of reading the body again. It was added without a version change: an entry without it reads as before, and
/// a build that predates it reads an entry with it as a miss (an unknown flag), not as a wrong answer.</para>
/// </remarks>
public static class CacheEntry
{
    public const byte Version = 1;
    public const int FixedSize = 30;
    public const int MinSize = FixedSize + 4;
    public const byte EventStreamFlag = 1;
    public const byte UsageFlag = 2;

    /// <summary>The usage trailer's fixed part: three token counts and the model's length.</summary>
    public const int UsageFixedSize = 14;

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
        if (status is < 100 or > 599 || (flags & ~(EventStreamFlag | UsageFlag)) != 0 || entry[27] != 0)
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
        int usageOffset = 0;
        if ((flags & UsageFlag) == 0)
        {
            if (bodyLength < 0 || entry.Length - pos != bodyLength)
            {
                return false;
            }
        }
        else
        {
            if (bodyLength < 0 || entry.Length - pos - bodyLength < UsageFixedSize)
            {
                return false;
            }

            usageOffset = pos + bodyLength;
            int modelLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[(usageOffset + 12)..]);
            if (entry.Length - usageOffset != UsageFixedSize + modelLength)
            {
                return false;
            }
        }

        info = new CacheEntryInfo(
            status,
            (flags & EventStreamFlag) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(entry[CreatedOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(entry[ExpiresOffset..]),
            count,
            pos - 4 - FixedSize,
            pos,
            bodyLength,
            usageOffset);
        return true;
    }

    /// <summary>Reads the usage trailer at <paramref name="offset"/> of an entry <see cref="TryParse"/> accepted.</summary>
    internal static Accounting.Usage ReadUsage(ReadOnlySpan<byte> entry, int offset)
    {
        var usage = entry[offset..];
        int cached = BinaryPrimitives.ReadInt32LittleEndian(usage[8..]);
        int modelLength = BinaryPrimitives.ReadUInt16LittleEndian(usage[12..]);
        string? model = modelLength == 0 ? null : HeaderStringCache.Get(usage.Slice(UsageFixedSize, modelLength));
        return new Accounting.Usage(BinaryPrimitives.ReadInt32LittleEndian(usage), BinaryPrimitives.ReadInt32LittleEndian(usage[4..]),
            cached < 0 ? null : cached, found: true, estimated: false, model);
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
    int BodyLength,
    int UsageOffset = 0);
