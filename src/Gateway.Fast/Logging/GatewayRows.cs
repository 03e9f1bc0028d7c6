namespace Gateway.Fast.Logging;

/// <summary>One gateway's live rows in memory, keyed by the log address of their Row entry (so in append order).</summary>
/// <remarks>
/// Memory (v1): every live row is held as a <see cref="LogRecord"/> (~300 B with its strings) plus a sorted-dictionary node
/// (~48 B): about 350 MB for a million rows. The writer mutates; readers take the lock briefly and copy.
/// </remarks>
internal sealed class GatewayRows(string id, int index)
{
    private readonly SortedDictionary<long, LogRecord> _rows = [];
    private readonly Lock _lock = new();

    public string Id { get; } = id;

    public int Index { get; } = index;

    /// <summary>Rows enqueued to the log but not committed yet (writer only).</summary>
    public int Pending { get; set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rows.Count;
            }
        }
    }

    public void Set(long address, LogRecord record)
    {
        lock (_lock)
        {
            _rows[address] = record;
        }
    }

    public bool Remove(long address)
    {
        lock (_lock)
        {
            return _rows.Remove(address);
        }
    }

    public bool TryGet(long address, out LogRecord record)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(address, out var found))
            {
                record = found;
                return true;
            }
        }

        record = null!;
        return false;
    }

    /// <summary>The address of the oldest live row, or <see cref="long.MaxValue"/> when there is none.</summary>
    public long OldestAddress()
    {
        lock (_lock)
        {
            foreach (var address in _rows.Keys)
            {
                return address;
            }
        }

        return long.MaxValue;
    }

    /// <summary>Up to <paramref name="count"/> of the oldest rows.</summary>
    public List<LogRecord> Oldest(int count)
    {
        var oldest = new List<LogRecord>(count);
        lock (_lock)
        {
            foreach (var record in _rows.Values)
            {
                if (oldest.Count == count)
                {
                    break;
                }

                oldest.Add(record);
            }
        }

        return oldest;
    }

    /// <summary>Rows created before <paramref name="cutoffUnixMs"/> (a full pass: creation times are only roughly in append order).</summary>
    public List<LogRecord> CreatedBefore(long cutoffUnixMs)
    {
        var expired = new List<LogRecord>();
        lock (_lock)
        {
            foreach (var record in _rows.Values)
            {
                if (record.CreatedAtUnixMs < cutoffUnixMs)
                {
                    expired.Add(record);
                }
            }
        }

        return expired;
    }

    /// <summary>A copy of the rows, newest first.</summary>
    public LogRecord[] Snapshot()
    {
        lock (_lock)
        {
            var rows = new LogRecord[_rows.Count];
            var i = rows.Length;
            foreach (var record in _rows.Values)
            {
                rows[--i] = record;
            }

            return rows;
        }
    }
}
