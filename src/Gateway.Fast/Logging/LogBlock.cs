using System.Buffers.Binary;

namespace Gateway.Fast.Logging;

/// <summary>The layout of a block: up to <see cref="MaxRows"/> consecutive rows of one gateway, the unit the metadata store keeps.</summary>
/// <remarks>
/// <code>
/// block = entry*            in append order (ascending log address)
/// entry = i64 address  i64 created-at  i32 record-length  u8 live  record
/// </code>
/// A row is one of 256 in a value rather than a key of its own because a FASTER key costs a hash-table entry in memory
/// (8 bytes, and 64-byte overflow buckets once a bucket holds 7): per row, that is the growth this store exists to remove.
/// Per block it is 0.04 B a row. Deleting a row clears its live byte; the block keeps its place.
/// </remarks>
internal static class LogBlock
{
    /// <summary>Rows per block: a block of typical ~250-byte records is ~70 KiB, one read serves a whole page of the list.</summary>
    public const int MaxRows = 256;

    /// <summary>A block closes before it grows past this (unless its one row is larger).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The largest entry a block can hold: the metadata store's page (1 MiB) less FASTER's record header and key.
    /// A record is bounded by Kestrel's header and URL limits (32 KiB, 8 KiB), so this is never reached by a real row.</summary>
    public const int MaxEntryBytes = (1 << 20) - 256;

    public const int EntryHeader = 8 + 8 + 4 + 1;

    public static int EntrySize(int recordLength) => EntryHeader + recordLength;

    /// <summary>Writes one live entry at <paramref name="destination"/>'s start; returns its size.</summary>
    public static int Write(Span<byte> destination, long address, long createdAtUnixMs, ReadOnlySpan<byte> record)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, address);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], createdAtUnixMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], record.Length);
        destination[20] = 1;
        record.CopyTo(destination[EntryHeader..]);
        return EntryHeader + record.Length;
    }

    /// <summary>The offset of the live entry of <paramref name="address"/>, or -1.</summary>
    public static int FindLive(ReadOnlySpan<byte> block, long address)
    {
        for (var e = new Enumerator(block); e.MoveNext();)
        {
            if (e.Address == address)
            {
                return e.Live ? e.Offset : -1;
            }

            if (e.Address > address)
            {
                break;
            }
        }

        return -1;
    }

    public static void MarkDead(Span<byte> block, int offset) => block[offset + 20] = 0;

    /// <summary>The record of the entry at <paramref name="offset"/>.</summary>
    public static ReadOnlySpan<byte> RecordAt(ReadOnlySpan<byte> block, int offset)
        => block.Slice(offset + EntryHeader, BinaryPrimitives.ReadInt32LittleEndian(block[(offset + 16)..]));

    /// <summary>A copy of <paramref name="block"/> with the record at <paramref name="offset"/> replaced (a PATCH; cold).</summary>
    public static byte[] Replace(ReadOnlySpan<byte> block, int offset, ReadOnlySpan<byte> record, long createdAtUnixMs, out int length)
    {
        var old = RecordAt(block, offset);
        var end = offset + EntryHeader + old.Length;
        length = block.Length - old.Length + record.Length;
        var result = new byte[Math.Max(length, MaxBytes)];
        block[..offset].CopyTo(result);
        var address = BinaryPrimitives.ReadInt64LittleEndian(block[offset..]);
        var written = Write(result.AsSpan(offset), address, createdAtUnixMs, record);
        block[end..].CopyTo(result.AsSpan(offset + written));
        return result;
    }

    /// <summary>The summary of a block's live rows.</summary>
    public static LogBlockSummary Summarize(ReadOnlySpan<byte> block, long firstAddress)
    {
        var summary = LogBlockSummary.Empty(firstAddress);
        for (var e = new Enumerator(block); e.MoveNext();)
        {
            if (e.Live)
            {
                summary = summary.With(e.Address, e.CreatedAtUnixMs);
            }
        }

        return summary;
    }

    /// <summary>Walks a block's entries oldest first; stops at the first malformed one.</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> block)
    {
        private readonly ReadOnlySpan<byte> _block = block;
        private int _next;

        public int Offset { get; private set; }

        public long Address { get; private set; }

        public long CreatedAtUnixMs { get; private set; }

        public bool Live { get; private set; }

        public readonly ReadOnlySpan<byte> Record => RecordAt(_block, Offset);

        public bool MoveNext()
        {
            if (_next + EntryHeader > _block.Length)
            {
                return false;
            }

            var entry = _block[_next..];
            var length = BinaryPrimitives.ReadInt32LittleEndian(entry[16..]);
            if ((uint)length > (uint)(entry.Length - EntryHeader))
            {
                return false;
            }

            Offset = _next;
            Address = BinaryPrimitives.ReadInt64LittleEndian(entry);
            CreatedAtUnixMs = BinaryPrimitives.ReadInt64LittleEndian(entry[8..]);
            Live = entry[20] != 0;
            _next += EntryHeader + length;
            return true;
        }
    }
}
