using System.Buffers.Binary;

namespace Gateway.Fast.EventStream;

/// <summary>The fixed 12-byte start of an AWS <c>application/vnd.amazon.eventstream</c> frame, and the lengths it gives.</summary>
/// <remarks>
/// <code>
/// frame  := total_length u32 | headers_length u32 | prelude_crc u32 | headers | payload | message_crc u32   (big-endian)
/// header := name_length u8 | name | type u8 | value      (type 7, string: length u16 | UTF-8 bytes)
/// </code>
/// Both readers of the format use this: <c>Accounting.EventStreamScanner</c> counts usage on bytes it relays unchecked,
/// <c>Compat.Bedrock.EventStreamFrameReader</c> verifies the CRCs because it translates what it reads.
/// </remarks>
internal static class EventStreamPrelude
{
    /// <summary>Bytes before the headers: two lengths and the prelude CRC.</summary>
    public const int Length = 12;

    /// <summary>The trailing message CRC.</summary>
    public const int CrcLength = 4;

    private const int MaxFrameLength = 24 * 1024 * 1024; // AWS caps a message at 16 MiB; beyond this the stream is not one

    /// <summary>
    /// Reads the frame and header lengths from the first <see cref="Length"/> bytes of <paramref name="prelude"/>; false when
    /// they cannot describe a frame (too long, or shorter than their own parts), after which the stream cannot be followed.
    /// </summary>
    public static bool TryReadLengths(ReadOnlySpan<byte> prelude, out int totalLength, out int headersLength)
    {
        uint total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        uint headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        if (total > MaxFrameLength || total < Length + CrcLength + headers)
        {
            totalLength = headersLength = 0;
            return false;
        }

        totalLength = (int)total;
        headersLength = (int)headers;
        return true;
    }

    /// <summary>Payload bytes of a frame whose lengths <see cref="TryReadLengths"/> accepted.</summary>
    public static int PayloadLength(int totalLength, int headersLength) => totalLength - Length - CrcLength - headersLength;
}
