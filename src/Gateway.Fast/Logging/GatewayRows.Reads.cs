namespace Gateway.Fast.Logging;

/// <summary>Reading rows: one by address, the scans the logs API runs, and the writer's walks for retention.</summary>
internal sealed partial class GatewayRows
{
    /// <summary>The row at <paramref name="address"/>, decoded; any thread.</summary>
    public bool TryGet(long address, out LogRecord record)
    {
        record = null!;
        long number;
        lock (_lock)
        {
            var at = FindBlockLocked(address);
            if (at < 0)
            {
                return false;
            }

            if (IsOpen(at))
            {
                var offset = LogBlock.FindLive(_open.AsSpan(0, _openLength), address);
                return offset >= 0 && Decode(LogBlock.RecordAt(_open.AsSpan(0, _openLength), offset), out record);
            }

            number = NumberOf(at);
        }

        using var buffer = new LogBlockBuffer();
        if (!store.TryRead(Index, number, buffer))
        {
            return false;
        }

        var found = LogBlock.FindLive(buffer.Span, address);
        return found >= 0 && Decode(LogBlock.RecordAt(buffer.Span, found), out record);
    }

    /// <summary>The UTF-8 id of the row at <paramref name="address"/> (writer only: the bytes stay valid until its next change).</summary>
    public bool TryGetId(long address, out ReadOnlySpan<byte> id)
    {
        id = default;
        var at = FindBlock(address);
        if (at < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> block = IsOpen(at) ? _open.AsSpan(0, _openLength) : store.Load(Index, NumberOf(at));
        var offset = LogBlock.FindLive(block, address);
        return offset >= 0 && LogRecordCodec.TryReadHead(LogBlock.RecordAt(block, offset), out id, out _);
    }

    /// <summary>Adds the addresses of up to <paramref name="count"/> of the oldest rows to <paramref name="addresses"/> (writer only).</summary>
    public void Oldest(int count, List<long> addresses)
    {
        for (var at = _head; at < _head + _count && count > 0; at++)
        {
            if (_blocks[at].Live > 0)
            {
                count -= Collect(at, long.MaxValue, long.MaxValue, count, addresses);
            }
        }
    }

    /// <summary>Adds the addresses of rows created before <paramref name="cutoffUnixMs"/>, oldest first (writer only); only
    /// blocks whose oldest row is older are read.</summary>
    public void CreatedBefore(long cutoffUnixMs, List<long> addresses)
    {
        for (var at = _head; at < _head + _count; at++)
        {
            if (_blocks[at].Live > 0 && _blocks[at].MinCreatedAtUnixMs < cutoffUnixMs)
            {
                Collect(at, cutoffUnixMs, long.MaxValue, int.MaxValue, addresses);
            }
        }
    }

    /// <summary>The rows, newest first, read block by block as the caller enumerates.</summary>
    public LogRowScan Scan()
    {
        lock (_lock)
        {
            var held = 0;
            for (var at = _head; at < _head + _count; at++)
            {
                held += _blocks[at].Live > 0 ? 1 : 0;
            }

            var summaries = new LogBlockSummary[held];
            var numbers = new long[held];
            var n = 0;
            for (var at = _head + _count - 1; at >= _head; at--)
            {
                if (_blocks[at].Live > 0)
                {
                    summaries[n] = _blocks[at];
                    numbers[n++] = IsOpen(at) ? -1 : NumberOf(at);
                }
            }

            var open = held > 0 && numbers[0] == -1 ? _open.AsSpan(0, _openLength).ToArray() : [];
            return new LogRowScan(this, summaries, numbers, open, _live);
        }
    }

    /// <summary>Every row decoded, newest first (tests).</summary>
    public LogRecord[] Snapshot() => [.. Scan()];

    /// <summary>Copies a closed block into <paramref name="buffer"/> (readers).</summary>
    internal bool TryReadBlock(long number, LogBlockBuffer buffer) => store.TryRead(Index, number, buffer);

    /// <summary>Adds the addresses of the live rows of block <paramref name="at"/> created before <paramref name="createdBefore"/>
    /// and below <paramref name="addressBelow"/>, at most <paramref name="max"/>; returns how many it added.</summary>
    private int Collect(int at, long createdBefore, long addressBelow, int max, List<long> addresses)
    {
        ReadOnlySpan<byte> block = IsOpen(at) ? _open.AsSpan(0, _openLength) : store.Load(Index, NumberOf(at));
        var added = 0;
        for (var e = new LogBlock.Enumerator(block); e.MoveNext() && added < max;)
        {
            if (e.Live && e.CreatedAtUnixMs < createdBefore && e.Address < addressBelow)
            {
                addresses.Add(e.Address);
                added++;
            }
        }

        return added;
    }

    private static bool Decode(ReadOnlySpan<byte> bytes, out LogRecord record)
    {
        record = LogRecordCodec.ReadRecord(bytes, LogRecordCodec.Version)!;
        return record is not null;
    }
}
