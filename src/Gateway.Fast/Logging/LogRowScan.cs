using System.Collections;

namespace Gateway.Fast.Logging;

/// <summary>A gateway's rows, newest first, read block by block as they are enumerated: what <see cref="FasterLogStore.Scan(string)"/> returns.</summary>
/// <remarks>
/// Taken at one moment (the blocks that had live rows then, and a copy of the open block); closed blocks are read from
/// the store when reached, so a row deleted meanwhile may be skipped. The query engine also reads it block by block:
/// the blocks' created_at ranges (<see cref="MaxCreatedAtUnixMs"/>) let the newest-first list stop once no older block
/// can hold a row newer than the page's last, and let time ranges skip blocks without reading them.
/// </remarks>
public sealed class LogRowScan : IEnumerable<LogRecord>
{
    private readonly GatewayRows _rows;
    private readonly LogBlockSummary[] _blocks;
    private readonly long[] _numbers;
    private readonly byte[] _open;

    internal LogRowScan(GatewayRows rows, LogBlockSummary[] blocks, long[] numbers, byte[] open, int count)
    {
        _rows = rows;
        _blocks = blocks;
        _numbers = numbers;
        _open = open;
        Count = count;
    }

    /// <summary>Live rows when the scan was taken.</summary>
    public int Count { get; }

    /// <summary>Blocks with live rows, newest first.</summary>
    public int BlockCount => _blocks.Length;

    public long MinCreatedAtUnixMs(int block) => _blocks[block].MinCreatedAtUnixMs;

    public long MaxCreatedAtUnixMs(int block) => _blocks[block].MaxCreatedAtUnixMs;

    /// <summary>False when block <paramref name="block"/>'s summary proves none of its rows passes every filter (its
    /// columns' <see cref="LogBlockFilter"/>, its created_at range); true when it may hold one.</summary>
    public bool MayMatch(int block, IReadOnlyList<LogQueries.LogFilter> filters)
    {
        ref readonly var summary = ref _blocks[block];
        foreach (var filter in filters)
        {
            if (filter.Key == LogQueries.LogFilterKey.CreatedAt
                && !LogBlockFilter.MayMatchRange(filter, summary.MinCreatedAtUnixMs, summary.MaxCreatedAtUnixMs))
            {
                return false;
            }
        }

        return summary.Filter.MayMatch(filters);
    }

    /// <summary>How many of the gateway's rows pass <paramref name="filters"/>, counted from the store's kept sums without
    /// reading rows; false when they do not cover a filter's column. Counted now, not when the scan was taken.</summary>
    public bool TryCount(IReadOnlyList<LogQueries.LogFilter> filters, out long count)
        => LogQueries.LogRollupAnalytics.TryCount(_rows, _rows.Rollup, filters, out count);

    /// <summary>Adds block <paramref name="block"/>'s live rows to <paramref name="rows"/>, newest first; nothing when it
    /// was deleted since the scan began.</summary>
    internal void ReadBlock(int block, List<LogRecord> rows, LogStringCache strings, LogBlockBuffer buffer)
    {
        ReadOnlySpan<byte> bytes;
        if (_numbers[block] < 0)
        {
            bytes = _open;
        }
        else
        {
            if (!_rows.TryReadBlock(_numbers[block], buffer))
            {
                return;
            }

            bytes = buffer.Span;
        }

        Span<int> offsets = stackalloc int[LogBlock.MaxRows];
        var count = 0;
        for (var e = new LogBlock.Enumerator(bytes); e.MoveNext() && count < offsets.Length;)
        {
            if (e.Live)
            {
                offsets[count++] = e.Offset;
            }
        }

        for (var i = count - 1; i >= 0; i--)
        {
            if (LogRecordCodec.ReadRecord(LogBlock.RecordAt(bytes, offsets[i]), LogRecordCodec.Version, strings) is { } record)
            {
                rows.Add(record);
            }
        }
    }

    public IEnumerator<LogRecord> GetEnumerator()
    {
        var strings = new LogStringCache();
        var rows = new List<LogRecord>(LogBlock.MaxRows);
        using var buffer = new LogBlockBuffer();
        for (var block = 0; block < _blocks.Length; block++)
        {
            rows.Clear();
            ReadBlock(block, rows, strings, buffer);
            foreach (var row in rows)
            {
                yield return row;
            }
        }
    }

    /// <summary>The rows with <paramref name="startUnixMs"/> ≤ created_at &lt; <paramref name="endUnixMs"/> (null: open), newest
    /// first, reading only the blocks whose created_at range meets it.</summary>
    public IEnumerable<LogRecord> CreatedBetween(long? startUnixMs, long? endUnixMs)
    {
        var strings = new LogStringCache();
        var rows = new List<LogRecord>(LogBlock.MaxRows);
        using var buffer = new LogBlockBuffer();
        for (var block = 0; block < _blocks.Length; block++)
        {
            if (_blocks[block].MaxCreatedAtUnixMs < startUnixMs || _blocks[block].MinCreatedAtUnixMs >= endUnixMs)
            {
                continue;
            }

            rows.Clear();
            ReadBlock(block, rows, strings, buffer);
            foreach (var row in rows)
            {
                if (row.CreatedAtUnixMs >= (startUnixMs ?? long.MinValue) && row.CreatedAtUnixMs < (endUnixMs ?? long.MaxValue))
                {
                    yield return row;
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
