using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace Gateway.Fast.Logging;

/// <summary>The <see cref="LogRowSection.ResponseBlocks"/> section: a response body stored as the pieces a
/// <see cref="BodyCapture"/> held it in, its compressed blocks not decoded.</summary>
/// <remarks>
/// <code>
/// section = i32 decoded-length, then segments to the section's end, each
///           u8 kind (0 raw, 1 LZ4) + i32 length + bytes; an LZ4 segment decodes to exactly 4096 bytes
/// </code>
/// A stream's body is held with its full blocks compressed (<see cref="BodyCapture"/>). Decoding them into the row cost
/// each logged stream an LZ4 decode, then a CRC, a copy and page writes over the whole body; stored as they are, a
/// simulator stream of 64 tokens (a 17 KB body) added 3.0 KB to the log instead of 17.8 KB, and only a read of the body
/// decodes it.
/// <see cref="TryRead"/> checks the framing (kinds, lengths, their sum) so a row that passes it can be sized and decoded;
/// a segment that does not decode to its block is found by <see cref="TryDecode(ReadOnlySpan{byte}, Span{byte})"/>, which the reader treats as a
/// malformed row.
/// </remarks>
internal static class LogResponseBlocks
{
    private const byte Raw = 0;
    private const byte Lz4 = 1;
    private const int SegmentHeader = 1 + 4;

    /// <summary>The LZ4 encoding of a block is never longer than this (incompressible input grows a little).</summary>
    private static readonly int MaxEncodedBlock = LZ4Codec.MaximumOutputSize(BodyCapture.BlockSize);

    /// <summary>An upper bound of the section's payload for <paramref name="capture"/> (a partial last block counted whole).</summary>
    public static int MaxSize(BodyCapture capture) => 4 + (capture.SegmentCount * SegmentHeader) + capture.HeldBytes;

    /// <summary>Writes the section's payload (at most <see cref="MaxSize"/> bytes); returns its length.</summary>
    public static int Write(Span<byte> destination, BodyCapture capture)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, capture.Length);
        int at = 4;
        for (int i = 0; i < capture.SegmentCount; i++)
        {
            var data = capture.HeldSegment(i, out bool compressed);
            destination[at] = compressed ? Lz4 : Raw;
            BinaryPrimitives.WriteInt32LittleEndian(destination[(at + 1)..], data.Length);
            data.CopyTo(destination[(at + SegmentHeader)..]);
            at += SegmentHeader + data.Length;
        }

        return at;
    }

    /// <summary>Checks the section's framing; gives the body's decoded length. False when malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> section, out int decodedLength)
    {
        var r = new LogEntryReader(section);
        decodedLength = r.Int32();
        long sum = 0;
        while (r.Ok && r.Remaining > 0)
        {
            byte kind = r.Byte();
            int length = r.Bytes().Length;
            switch (kind)
            {
                case Lz4 when length > 0 && length <= MaxEncodedBlock:
                    sum += BodyCapture.BlockSize;
                    break;
                case Raw when length > 0:
                    sum += length;
                    break;
                default:
                    return false;
            }
        }

        return r.End() && (uint)decodedLength <= BodyCapture.MaxBytes && sum == decodedLength;
    }

    /// <summary>The decoded body of a section, in a new array of its size; false when the section is malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> section, out byte[] body)
    {
        body = [];
        if (!TryRead(section, out int length))
        {
            return false;
        }

        var decoded = GC.AllocateUninitializedArray<byte>(length);
        if (!TryDecode(section, decoded))
        {
            return false;
        }

        body = decoded;
        return true;
    }

    /// <summary>Decodes a section <see cref="TryRead"/> accepted into <paramref name="destination"/> (its decoded length);
    /// false when an LZ4 segment does not decode to a whole block.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> section, Span<byte> destination)
    {
        var r = new LogEntryReader(section);
        r.Int32();
        int at = 0;
        while (r.Ok && r.Remaining > 0)
        {
            byte kind = r.Byte();
            var data = r.Bytes();
            if (kind == Lz4)
            {
                // The safe decoder: a damaged segment gives -1 or a short count, never a write past the block.
                if (destination.Length - at < BodyCapture.BlockSize
                    || LZ4Codec.Decode(data, destination.Slice(at, BodyCapture.BlockSize)) != BodyCapture.BlockSize)
                {
                    return false;
                }

                at += BodyCapture.BlockSize;
            }
            else
            {
                if (!data.TryCopyTo(destination[at..]))
                {
                    return false;
                }

                at += data.Length;
            }
        }

        return r.End() && at == destination.Length;
    }
}
