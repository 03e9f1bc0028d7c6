using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>The first <c>capacity</c> rows of a stream in a given order, kept in a heap whose top is the last of them.</summary>
/// <remarks>A list page needs only the rows up to its end, so a gateway of millions of rows is ranked in O(page) memory,
/// where sorting every match held them all. The order is total (ties fall back to created_at, then id), so the rows kept
/// are exactly those a full sort would put first.</remarks>
internal sealed class LogTopRows(Comparison<LogRecord> order, int capacity)
{
    // The heap's top is the row that comes last in the order: the one a better row replaces.
    private readonly PriorityQueue<LogRecord, LogRecord> _heap = new(Comparer<LogRecord>.Create((a, b) => order(b, a)));

    public bool IsFull => _heap.Count >= capacity;

    /// <summary>The last kept row in the order; only when <see cref="IsFull"/>.</summary>
    public LogRecord Last => _heap.Peek();

    public void Add(LogRecord row)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (_heap.Count < capacity)
        {
            _heap.Enqueue(row, row);
        }
        else if (order(row, _heap.Peek()) < 0)
        {
            _heap.DequeueEnqueue(row, row);
        }
    }

    /// <summary>The kept rows, in order.</summary>
    public List<LogRecord> ToSortedList()
    {
        var rows = new List<LogRecord>(_heap.Count);
        foreach (var (row, _) in _heap.UnorderedItems)
        {
            rows.Add(row);
        }

        rows.Sort(order);
        return rows;
    }
}
