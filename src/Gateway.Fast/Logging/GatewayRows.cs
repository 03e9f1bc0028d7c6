using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>One gateway's live rows in memory, keyed by the log address of their Row entry (so in append order).</summary>
/// <remarks>
/// <para>Each row is its encoded record (<see cref="LogRecordCodec.WriteRecord(Span{byte}, in LogRowFields)"/>, ~250 B, no bodies) packed into 256 KiB
/// chunks, plus a 32-byte <see cref="RowSlot"/> in one array sorted by address. v1 kept a <see cref="LogRecord"/> with its
/// strings and a sorted-dictionary node per row: ~10 objects and ~430 B a row, all of them promoted to gen2, where under
/// wrk they made the collector's work grow with the number of rows. Now a gateway holds a handful of arrays whatever its
/// row count, and none of them has references for the GC to trace.</para>
/// <para>Deleting marks a slot dead. Retention deletes from the old end, so leading chunks whose rows are all dead are
/// recycled for new rows and the slot array shifts down instead of growing: a gateway at its <c>DELETE_OLDEST</c> cap
/// allocates nothing per row. Deletes elsewhere (the API) leave holes; when those outweigh the live rows, the live rows
/// are copied into fresh chunks. Readers decode rows into records on demand. The writer mutates; readers take the lock
/// briefly: chunks are never written where a published slot points, so a snapshot decodes outside the lock, and a
/// chunk freed meanwhile is not recycled until no snapshot is decoding.</para>
/// </remarks>
internal sealed class GatewayRows(string id, int index)
{
    private const int ChunkBytes = 256 * 1024;
    private const int MaxSpareChunks = 8;
    private const int Dead = -1;

    private readonly Lock _lock = new();
    private readonly List<Chunk> _chunks = [];
    private readonly Stack<byte[]> _spare = new();
    private readonly List<byte[]> _retired = [];
    private RowSlot[] _slots = new RowSlot[64];
    private int _slotCount;
    private int _head; // slots below are all dead
    private int _live;
    private int _chunkBase; // the number of _chunks[0]; slots name chunks by number
    private int _readers;
    private long _liveBytes;
    private long _heldBytes; // bytes used in held chunks, live or dead

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
                GrowSlots(ref at);
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
            Release(slot.Chunk, slot.Length);
            _liveBytes += record.Length;
            slot = slot with { Chunk = chunk, Offset = offset, Length = record.Length };
            TrimChunks();
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
            TrimChunks();
            if (_heldBytes - _liveBytes > Math.Max(_liveBytes, 4L * ChunkBytes))
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

    /// <summary>Adds the addresses of the live rows whose Row entry lies below <paramref name="logAddress"/>, oldest first
    /// (the disk budget frees the shared log's oldest segment, whichever gateways its rows belong to).</summary>
    public void RowsBelow(long logAddress, List<long> addresses)
    {
        lock (_lock)
        {
            for (var i = _head; i < _slotCount && _slots[i].Address < logAddress; i++)
            {
                if (_slots[i].Length != Dead)
                {
                    addresses.Add(_slots[i].Address);
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
    public LogRecord[] Snapshot() => Snapshot(long.MinValue, long.MaxValue);

    /// <summary>The live rows with <c>start ≤ created_at &lt; end</c>, newest first, decoded outside the lock.</summary>
    public LogRecord[] Snapshot(long startUnixMs, long endUnixMs)
    {
        RowSlot[] slots;
        byte[][] chunks;
        int chunkBase;
        var count = 0;
        lock (_lock)
        {
            slots = ArrayPool<RowSlot>.Shared.Rent(Math.Max(_live, 1));
            for (var i = _slotCount - 1; i >= _head; i--)
            {
                ref readonly var slot = ref _slots[i];
                if (slot.Length != Dead && slot.CreatedAtUnixMs >= startUnixMs && slot.CreatedAtUnixMs < endUnixMs)
                {
                    slots[count++] = slot;
                }
            }

            chunks = new byte[_chunks.Count][];
            for (var i = 0; i < chunks.Length; i++)
            {
                chunks[i] = _chunks[i].Bytes;
            }

            chunkBase = _chunkBase;
            _readers++;
        }

        try
        {
            var rows = new LogRecord[count];
            var strings = new LogStringCache();
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                var slot = slots[i];
                var bytes = chunks[slot.Chunk - chunkBase].AsSpan(slot.Offset, slot.Length);
                if (LogRecordCodec.ReadRecord(bytes, LogRecordCodec.Version, strings) is { } row)
                {
                    rows[kept++] = row;
                }
            }

            return kept == count ? rows : rows[..kept];
        }
        finally
        {
            ArrayPool<RowSlot>.Shared.Return(slots);
            lock (_lock)
            {
                _readers--;
            }
        }
    }

    private ReadOnlySpan<byte> RecordOf(in RowSlot slot) => _chunks[slot.Chunk - _chunkBase].Bytes.AsSpan(slot.Offset, slot.Length);

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
        Release(slot.Chunk, slot.Length);
        slot = slot with { Length = Dead };
        _live--;
        while (_head < _slotCount && _slots[_head].Length == Dead)
        {
            _head++;
        }
    }

    private void Release(int chunk, int length)
    {
        _chunks[chunk - _chunkBase].Live -= length;
        _liveBytes -= length;
    }

    /// <summary>Makes room for one more slot: shifts the live ones down over the dead prefix when that frees half the array.</summary>
    private void GrowSlots(ref int at)
    {
        if (_head >= _slots.Length / 2)
        {
            Array.Copy(_slots, _head, _slots, 0, _slotCount - _head);
            _slotCount -= _head;
            at -= _head;
            _head = 0;
            return;
        }

        Array.Resize(ref _slots, _slots.Length * 2);
    }

    /// <summary>Drops leading chunks with no live row (what retention from the old end leaves).</summary>
    private void TrimChunks()
    {
        while (_chunks.Count > 1 && _chunks[0].Live == 0)
        {
            _heldBytes -= _chunks[0].Used;
            Retire(_chunks[0].Bytes);
            _chunks.RemoveAt(0);
            _chunkBase++;
        }
    }

    private void Retire(byte[] chunk)
    {
        if (_readers > 0)
        {
            _retired.Add(chunk); // a snapshot may still be decoding from it
            return;
        }

        if (chunk.Length == ChunkBytes && _spare.Count < MaxSpareChunks)
        {
            _spare.Push(chunk);
        }
    }

    private (int Chunk, int Offset) Store(ReadOnlySpan<byte> record)
    {
        if (_chunks.Count == 0 || _chunks[^1].Used + record.Length > _chunks[^1].Bytes.Length)
        {
            if (_readers == 0 && _retired.Count > 0)
            {
                foreach (var retired in _retired)
                {
                    Retire(retired);
                }

                _retired.Clear();
            }

            var bytes = record.Length <= ChunkBytes && _spare.TryPop(out var spare) ? spare : new byte[Math.Max(ChunkBytes, record.Length)];
            _chunks.Add(new Chunk(bytes));
        }

        var tail = _chunks[^1];
        var offset = tail.Used;
        record.CopyTo(tail.Bytes.AsSpan(offset));
        tail.Used += record.Length;
        tail.Live += record.Length;
        _heldBytes += record.Length;
        return (_chunkBase + _chunks.Count - 1, offset);
    }

    /// <summary>Copies the live rows into fresh chunks and drops dead slots (after deletes in the middle).</summary>
    private void Compact()
    {
        var old = _chunks.ToArray();
        var oldBase = _chunkBase;
        var slots = new RowSlot[Math.Max(64, _live * 2)];
        _chunks.Clear();
        _chunkBase = oldBase + old.Length;
        _heldBytes = 0;
        var count = 0;
        for (var i = _head; i < _slotCount; i++)
        {
            var slot = _slots[i];
            if (slot.Length != Dead)
            {
                var (chunk, offset) = Store(old[slot.Chunk - oldBase].Bytes.AsSpan(slot.Offset, slot.Length));
                slots[count++] = slot with { Chunk = chunk, Offset = offset };
            }
        }

        foreach (var chunk in old)
        {
            Retire(chunk.Bytes);
        }

        _slots = slots;
        _slotCount = count;
        _head = 0;
    }

    /// <summary>One arena chunk: its bytes, how many are written, and how many of those belong to live rows.</summary>
    private sealed class Chunk(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public int Used { get; set; }

        public int Live { get; set; }
    }

    /// <summary>Where one row's record is; <see cref="Length"/> is -1 once deleted (the address stays, for the binary search).</summary>
    private readonly record struct RowSlot(long Address, long CreatedAtUnixMs, int Chunk, int Offset, int Length);
}
