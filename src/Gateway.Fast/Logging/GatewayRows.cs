using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>One gateway's live rows in memory, keyed by the log address of their Row entry (so in append order).</summary>
/// <remarks>
/// <para>Each row is its encoded record (<see cref="LogRecordCodec.WriteRecord(Span{byte}, in LogRowFields)"/>, ~250 B, no bodies) packed into 256 KiB
/// chunks, plus a 32-byte <see cref="RowSlot"/> in one array sorted by address. v1 kept a <see cref="LogRecord"/> with its
/// strings and a sorted-dictionary node per row: ~10 objects and ~430 B a row, all of them promoted to gen2, where under
/// wrk they made the collector's work grow with the number of rows. Now a gateway holds a handful of arrays whatever its
/// row count, and none of them has references for the GC to trace.</para>
/// <para>Deleting marks a slot dead; when dead bytes outweigh live ones the live rows are copied into fresh chunks
/// (amortised one copy per row, e.g. under a <c>DELETE_OLDEST</c> cap). Readers decode rows into records on demand.
/// The writer mutates; readers take the lock briefly: chunks are never written where a published slot points, so a
/// snapshot decodes outside the lock.</para>
/// </remarks>
internal sealed class GatewayRows(string id, int index)
{
    private const int ChunkBytes = 256 * 1024;
    private const int Dead = -1;

    private readonly Lock _lock = new();
    private RowSlot[] _slots = new RowSlot[64];
    private int _slotCount;
    private int _head; // slots below are all dead
    private int _live;
    private List<byte[]> _chunks = [];
    private int _chunkUsed = ChunkBytes; // the last chunk's used bytes; full when there is none
    private long _liveBytes;
    private long _deadBytes;

    public string Id { get; } = id;

    /// <summary><see cref="Id"/> as UTF-8 (recovery matches records' gateway ids against it).</summary>
    public byte[] IdUtf8 { get; } = System.Text.Encoding.UTF8.GetBytes(id);

    public int Index { get; } = index;

    /// <summary>Rows enqueued to the log but not committed yet (writer only).</summary>
    public int Pending { get; set; }

    public int Count => Volatile.Read(ref _live);

    /// <summary>Adds a committed row: <paramref name="record"/> is a version 2 record.</summary>
    public void Add(long address, ReadOnlySpan<byte> record, long createdAtUnixMs)
    {
        lock (_lock)
        {
            var (chunk, offset) = Store(record);
            var at = _slotCount;
            if (at > _head && _slots[at - 1].Address >= address)
            {
                // Never in append order; an address met again replaces its row.
                at = Find(address);
                if (at >= 0)
                {
                    Kill(at++);
                }
                else
                {
                    at = ~at;
                }
            }

            if (_slotCount == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            Array.Copy(_slots, at, _slots, at + 1, _slotCount - at);
            _slots[at] = new RowSlot(address, createdAtUnixMs, chunk, offset, record.Length);
            _slotCount++;
            _live++;
            _liveBytes += record.Length;
        }
    }

    /// <summary>Replaces the record of the row at <paramref name="address"/> (a PATCH); false when it is not live.</summary>
    public bool Replace(long address, ReadOnlySpan<byte> record)
    {
        lock (_lock)
        {
            var at = Find(address);
            if (at < 0)
            {
                return false;
            }

            var (chunk, offset) = Store(record);
            ref var slot = ref _slots[at];
            _deadBytes += slot.Length;
            _liveBytes += record.Length - slot.Length;
            slot = slot with { Chunk = chunk, Offset = offset, Length = record.Length };
            return true;
        }
    }

    public bool Remove(long address)
    {
        lock (_lock)
        {
            var at = Find(address);
            if (at < 0)
            {
                return false;
            }

            Kill(at);
            if (_deadBytes > _liveBytes && _deadBytes > ChunkBytes)
            {
                Compact();
            }

            return true;
        }
    }

    /// <summary>The row at <paramref name="address"/>, decoded.</summary>
    public bool TryGet(long address, out LogRecord record)
    {
        lock (_lock)
        {
            var at = Find(address);
            if (at >= 0 && LogRecordCodec.ReadRecord(RecordOf(_slots[at]), LogRecordCodec.Version) is { } found)
            {
                record = found;
                return true;
            }
        }

        record = null!;
        return false;
    }

    /// <summary>The UTF-8 id of the row at <paramref name="address"/> (writer only: the bytes stay valid until its next change).</summary>
    public bool TryGetId(long address, out ReadOnlySpan<byte> id)
    {
        lock (_lock)
        {
            var at = Find(address);
            if (at >= 0 && LogRecordCodec.TryReadHead(RecordOf(_slots[at]), out id, out _))
            {
                return true;
            }
        }

        id = default;
        return false;
    }

    /// <summary>The address of the oldest live row, or <see cref="long.MaxValue"/> when there is none.</summary>
    public long OldestAddress()
    {
        lock (_lock)
        {
            return _head < _slotCount ? _slots[_head].Address : long.MaxValue;
        }
    }

    /// <summary>Adds the addresses of up to <paramref name="count"/> of the oldest rows to <paramref name="addresses"/>.</summary>
    public void Oldest(int count, List<long> addresses)
    {
        lock (_lock)
        {
            for (var i = _head; i < _slotCount && count > 0; i++)
            {
                if (_slots[i].Length != Dead)
                {
                    addresses.Add(_slots[i].Address);
                    count--;
                }
            }
        }
    }

    /// <summary>Adds the addresses of rows created before <paramref name="cutoffUnixMs"/> (a full pass: creation times are
    /// only roughly in append order).</summary>
    public void CreatedBefore(long cutoffUnixMs, List<long> addresses)
    {
        lock (_lock)
        {
            for (var i = _head; i < _slotCount; i++)
            {
                if (_slots[i].Length != Dead && _slots[i].CreatedAtUnixMs < cutoffUnixMs)
                {
                    addresses.Add(_slots[i].Address);
                }
            }
        }
    }

    /// <summary>The rows decoded, newest first: slots copied under the lock, records decoded outside it.</summary>
    public LogRecord[] Snapshot()
    {
        RowSlot[] slots;
        byte[][] chunks;
        int count = 0;
        lock (_lock)
        {
            slots = ArrayPool<RowSlot>.Shared.Rent(Math.Max(_live, 1));
            for (var i = _slotCount - 1; i >= _head; i--)
            {
                if (_slots[i].Length != Dead)
                {
                    slots[count++] = _slots[i];
                }
            }

            chunks = [.. _chunks];
        }

        try
        {
            var rows = new LogRecord[count];
            var strings = new LogStringCache();
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                var slot = slots[i];
                if (LogRecordCodec.ReadRecord(chunks[slot.Chunk].AsSpan(slot.Offset, slot.Length), LogRecordCodec.Version, strings) is { } row)
                {
                    rows[kept++] = row;
                }
            }

            return kept == count ? rows : rows[..kept];
        }
        finally
        {
            ArrayPool<RowSlot>.Shared.Return(slots);
        }
    }

    private ReadOnlySpan<byte> RecordOf(in RowSlot slot) => _chunks[slot.Chunk].AsSpan(slot.Offset, slot.Length);

    /// <summary>The live slot of <paramref name="address"/>, or the bitwise complement of where it would go.</summary>
    private int Find(long address)
    {
        int lo = _head, hi = _slotCount - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var found = _slots[mid].Address;
            if (found == address)
            {
                return _slots[mid].Length == Dead ? ~mid : mid;
            }

            if (found < address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private void Kill(int at)
    {
        ref var slot = ref _slots[at];
        _deadBytes += slot.Length;
        _liveBytes -= slot.Length;
        slot = slot with { Length = Dead };
        _live--;
        while (_head < _slotCount && _slots[_head].Length == Dead)
        {
            _head++;
        }
    }

    private (int Chunk, int Offset) Store(ReadOnlySpan<byte> record)
    {
        if (_chunks.Count == 0 || _chunkUsed + record.Length > _chunks[^1].Length)
        {
            _chunks.Add(new byte[Math.Max(ChunkBytes, record.Length)]);
            _chunkUsed = 0;
        }

        var offset = _chunkUsed;
        record.CopyTo(_chunks[^1].AsSpan(offset));
        _chunkUsed += record.Length;
        return (_chunks.Count - 1, offset);
    }

    /// <summary>Copies the live rows into fresh chunks and drops dead slots; old chunks stay valid for snapshots holding them.</summary>
    private void Compact()
    {
        var old = _chunks;
        var slots = new RowSlot[Math.Max(64, _live * 2)];
        _chunks = [];
        _chunkUsed = ChunkBytes;
        var count = 0;
        for (var i = _head; i < _slotCount; i++)
        {
            var slot = _slots[i];
            if (slot.Length != Dead)
            {
                var (chunk, offset) = Store(old[slot.Chunk].AsSpan(slot.Offset, slot.Length));
                slots[count++] = slot with { Chunk = chunk, Offset = offset };
            }
        }

        _slots = slots;
        _slotCount = count;
        _head = 0;
        _deadBytes = 0;
    }

    /// <summary>Where one row's record is; <see cref="Length"/> is -1 once deleted (the address stays, for the binary search).</summary>
    private readonly record struct RowSlot(long Address, long CreatedAtUnixMs, int Chunk, int Offset, int Length);
}
