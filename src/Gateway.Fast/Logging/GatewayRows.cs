namespace Gateway.Fast.Logging;

/// <summary>One gateway's live rows, in blocks of up to 256 in append order (so by log address): the newest block in
/// memory, the others in the metadata store (<see cref="LogBlockStore"/>, memory budget then disk).</summary>
/// <remarks>
/// <para>What stays in managed memory is the open block (at most 64 KiB) and a 72-byte <see cref="LogBlockSummary"/> per
/// block: 0.28 B a row, where v2 kept every row's ~250-byte record and a 32-byte slot (~280 B a row, 1.6 GiB an hour
/// at 1,000 requests/s). The summaries' created_at ranges let the list stop after the newest blocks and let time
/// ranges skip blocks.</para>
/// <para>The writer alone mutates. It appends to the open block and, when that is full, writes it to the store and
/// opens the next. Readers copy the summaries and the open block under the lock, then read closed blocks from the
/// store outside it, so a query over millions of rows never holds the writer up. A deleted row is marked dead in its
/// block; a block with no live row is deleted from the store, and leading empty blocks are dropped from memory.</para>
/// </remarks>
internal sealed partial class GatewayRows(string id, int index, LogBlockStore store, LogRollup rollup)
{
    private readonly Lock _lock = new();
    private LogBlockSummary[] _blocks = new LogBlockSummary[16];
    private int _head; // index in _blocks of the oldest block held; the newest one (_head + _count - 1) is the open block
    private int _count;
    private long _headNumber; // the block number of _blocks[_head]
    private byte[] _open = [];
    private int _openLength;
    private int _openRows;
    private int _live;

    public string Id { get; } = id;

    /// <summary><see cref="Id"/> as UTF-8 (recovery matches records' gateway ids against it).</summary>
    public byte[] IdUtf8 { get; } = System.Text.Encoding.UTF8.GetBytes(id);

    public int Index { get; } = index;

    /// <summary>The sums kept of the store's rows (filtered lists count from them).</summary>
    internal LogRollup Rollup => rollup;

    /// <summary>Rows enqueued to the log but not committed yet (writer only).</summary>
    public int Pending { get; set; }

    public int Count => Volatile.Read(ref _live);

    /// <summary>Blocks held in memory as summaries (the open one included); tests and the memory figures.</summary>
    public int BlockCount => Volatile.Read(ref _count);

    /// <summary>Adds a committed row: <paramref name="record"/> is a version 2 record; addresses only grow.</summary>
    /// <returns>False when the record is too large for a block (never for a row within Kestrel's limits).</returns>
    public bool Add(long address, ReadOnlySpan<byte> record, long createdAtUnixMs)
    {
        var size = LogBlock.EntrySize(record.Length);
        if (size > LogBlock.MaxEntryBytes)
        {
            return false;
        }

        if (_count == 0 || _openRows == LogBlock.MaxRows || (_openRows > 0 && _openLength + size > LogBlock.MaxBytes))
        {
            OpenBlock(address);
        }

        bool readable = rollup.TryDecode(record, out var row);
        var filter = readable ? LogBlockFilter.Of(in row) : LogBlockFilter.All;
        if (_open.Length < _openLength + size)
        {
            // The first row of a gateway, or one block-sized row: the open array is reused for every later block.
            var grown = new byte[Math.Max(LogBlock.MaxBytes, _openLength + size)];
            _open.AsSpan(0, _openLength).CopyTo(grown);
            lock (_lock)
            {
                _open = grown;
            }
        }

        lock (_lock)
        {
            _openLength += LogBlock.Write(_open.AsSpan(_openLength), address, createdAtUnixMs, record);
            _openRows++;
            ref var open = ref _blocks[_head + _count - 1];
            open = open.With(address, createdAtUnixMs, filter);
            _live++;
        }

        if (readable)
        {
            rollup.Add(Index, in row);
        }

        return true;
    }

    /// <summary>Replaces the record of the row at <paramref name="address"/> (a PATCH); false when it is not live.</summary>
    public bool Replace(long address, ReadOnlySpan<byte> record)
    {
        LogRecordCodec.TryReadHead(record, out _, out var createdAtUnixMs);
        var at = FindBlock(address);
        if (at < 0)
        {
            return false;
        }

        if (IsOpen(at))
        {
            lock (_lock)
            {
                var offset = LogBlock.FindLive(_open.AsSpan(0, _openLength), address);
                if (offset < 0)
                {
                    return false;
                }

                rollup.Remove(Index, LogBlock.RecordAt(_open.AsSpan(0, _openLength), offset));
                AddToRollup(record);
                _open = LogBlock.Replace(_open.AsSpan(0, _openLength), offset, record, createdAtUnixMs, out _openLength);
                _blocks[at] = Resummarize(_open.AsSpan(0, _openLength), at, record);
                return true;
            }
        }

        var number = NumberOf(at);
        var block = store.Load(Index, number);
        var found = LogBlock.FindLive(block, address);
        if (found < 0)
        {
            return false;
        }

        rollup.Remove(Index, LogBlock.RecordAt(block, found));
        AddToRollup(record);
        var replaced = LogBlock.Replace(block, found, record, createdAtUnixMs, out var length);
        store.Store(Index, number, replaced.AsSpan(0, length));
        var summary = Resummarize(replaced.AsSpan(0, length), at, record);
        lock (_lock)
        {
            _blocks[at] = summary;
        }

        return true;
    }

    public bool Remove(long address)
    {
        var at = FindBlock(address);
        if (at < 0)
        {
            return false;
        }

        if (IsOpen(at))
        {
            lock (_lock)
            {
                var offset = LogBlock.FindLive(_open.AsSpan(0, _openLength), address);
                if (offset < 0)
                {
                    return false;
                }

                LogBlock.MarkDead(_open, offset);
                rollup.Remove(Index, LogBlock.RecordAt(_open.AsSpan(0, _openLength), offset));
                _blocks[at] = Resummarize(_open.AsSpan(0, _openLength), at, default);
                _live--;
                return true;
            }
        }

        var number = NumberOf(at);
        var block = store.Load(Index, number);
        var found = LogBlock.FindLive(block, address);
        if (found < 0)
        {
            return false;
        }

        LogBlock.MarkDead(block, found);
        rollup.Remove(Index, LogBlock.RecordAt(block, found));
        var summary = Resummarize(block, at, default);
        if (summary.Live == 0)
        {
            store.Delete(Index, number);
        }
        else
        {
            store.MarkDirty();
        }

        lock (_lock)
        {
            _blocks[at] = summary;
            _live--;
            TrimHead();
        }

        return true;
    }

    /// <summary>The address of the oldest live row, or <see cref="long.MaxValue"/> when there is none.</summary>
    public long OldestAddress()
    {
        lock (_lock)
        {
            for (var i = _head; i < _head + _count; i++)
            {
                if (_blocks[i].Live > 0)
                {
                    return _blocks[i].FirstLiveAddress;
                }
            }

            return long.MaxValue;
        }
    }

    private void AddToRollup(ReadOnlySpan<byte> record)
    {
        if (rollup.TryDecode(record, out var row))
        {
            rollup.Add(Index, in row);
        }
    }

    /// <summary>The summary of block <paramref name="at"/> after a change: its filter keeps every bit it had (a deleted row's
    /// values may still be counted as present, which only costs a read) and gains those of <paramref name="replacement"/>.</summary>
    private LogBlockSummary Resummarize(ReadOnlySpan<byte> block, int at, ReadOnlySpan<byte> replacement)
    {
        var filter = _blocks[at].Filter;
        if (!replacement.IsEmpty)
        {
            filter = filter.Or(rollup.TryDecode(replacement, out var row) ? LogBlockFilter.Of(in row) : LogBlockFilter.All);
        }

        return LogBlock.Summarize(block, _blocks[at].FirstAddress) with { Filter = filter };
    }

    /// <summary>The smallest and largest created_at of the live rows; false when there is none (any thread).</summary>
    public bool CreatedRange(out long minUnixMs, out long maxUnixMs)
    {
        minUnixMs = long.MaxValue;
        maxUnixMs = long.MinValue;
        lock (_lock)
        {
            for (var i = _head; i < _head + _count; i++)
            {
                if (_blocks[i].Live > 0)
                {
                    minUnixMs = Math.Min(minUnixMs, _blocks[i].MinCreatedAtUnixMs);
                    maxUnixMs = Math.Max(maxUnixMs, _blocks[i].MaxCreatedAtUnixMs);
                }
            }
        }

        return minUnixMs <= maxUnixMs;
    }

    /// <summary>Starts the next block, writing the open one to the store first (writer only).</summary>
    private void OpenBlock(long firstAddress)
    {
        if (_count > 0 && _blocks[_head + _count - 1].Live > 0)
        {
            store.Upsert(Index, NumberOf(_head + _count - 1), _open.AsSpan(0, _openLength));
        }

        lock (_lock)
        {
            if (_head + _count == _blocks.Length)
            {
                if (_head >= _blocks.Length / 2)
                {
                    Array.Copy(_blocks, _head, _blocks, 0, _count);
                    Array.Clear(_blocks, _count, _head);
                    _head = 0;
                }
                else
                {
                    Array.Resize(ref _blocks, _blocks.Length * 2);
                }
            }

            _blocks[_head + _count] = LogBlockSummary.Empty(firstAddress);
            _count++;
            _openLength = 0;
            _openRows = 0;
            TrimHead();
        }
    }

    /// <summary>Drops leading closed blocks with no live row (what retention from the old end leaves); under the lock.</summary>
    private void TrimHead()
    {
        while (_count > 1 && _blocks[_head].Live == 0)
        {
            _blocks[_head] = default;
            _head++;
            _headNumber++;
            _count--;
        }
    }

    private bool IsOpen(int at) => at == _head + _count - 1;

    private long NumberOf(int at) => _headNumber + (at - _head);

    /// <summary>The index in <c>_blocks</c> of the block that holds <paramref name="address"/>, or -1.</summary>
    private int FindBlock(long address)
    {
        lock (_lock)
        {
            return FindBlockLocked(address);
        }
    }

    private int FindBlockLocked(long address)
    {
        int lo = _head, hi = _head + _count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_blocks[mid].FirstAddress <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
