using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Runs a <see cref="LogQuery"/> over a stream of rows: filter and search, order, then page (list) or limit (DELETE).</summary>
/// <remarks>
/// Rows stream through: only the rows up to the page's end are kept (<see cref="LogTopRows"/>), with the count and the
/// stats of every match. Over a store's <see cref="LogRowScan"/>, an unfiltered list by created_at takes its total from
/// the store and stops reading blocks once no block left can hold a row that belongs on the page: page 1 of a gateway
/// of millions of rows reads its newest block or two.
/// </remarks>
public static class LogQueryEngine
{
    public static bool Matches(LogRecord record, LogQuery query)
        => LogFilterEvaluator.Matches(record, query.Filters) && LogSearch.Matches(record, query.Search);

    /// <summary>The requested page; a page past the end has no rows but the true total (the SDK stops on an empty page).</summary>
    public static LogPage List(IEnumerable<LogRecord> rows, LogQuery query)
    {
        var skip = (long)(query.Page - 1) * query.PerPage;
        var top = new LogTopRows(LogOrdering.Order(query.OrderBy, query.Descending), (int)Math.Min(skip + query.PerPage, int.MaxValue));
        var stats = new LogStats();
        int total;
        if (rows is LogRowScan scan && query.Filters.Count == 0 && string.IsNullOrEmpty(query.Search) && !query.MetaInfo
            && query.OrderBy == LogOrderKey.CreatedAt)
        {
            total = scan.Count;
            ListByCreatedAt(scan, query.Descending, top);
        }
        else
        {
            total = 0;
            foreach (var row in rows)
            {
                if (Matches(row, query))
                {
                    total++;
                    top.Add(row);
                    if (query.MetaInfo)
                    {
                        stats = stats.Add(row);
                    }
                }
            }
        }

        var kept = top.ToSortedList();
        var page = skip >= kept.Count ? [] : kept.GetRange((int)skip, (int)Math.Min(query.PerPage, kept.Count - skip));
        return new LogPage(page, query.Page, query.PerPage, total, query.MetaInfo ? stats : null);
    }

    /// <summary>The rows a DELETE removes: every match in order, cut to <see cref="LogQuery.Limit"/>.</summary>
    public static List<LogRecord> SelectForDelete(IEnumerable<LogRecord> rows, LogQuery query)
    {
        var order = LogOrdering.Order(query.OrderBy, query.Descending);
        if (query.Limit is { } limit)
        {
            var top = new LogTopRows(order, limit);
            foreach (var row in rows)
            {
                if (Matches(row, query))
                {
                    top.Add(row);
                }
            }

            return top.ToSortedList();
        }

        var matches = new List<LogRecord>();
        foreach (var row in rows)
        {
            if (Matches(row, query))
            {
                matches.Add(row);
            }
        }

        matches.Sort(order);
        return matches;
    }

    /// <summary>Every row in the order of created_at, reading blocks from the matching end (newest for descending) and
    /// stopping once the page is full and every block left is entirely on the far side of its last row.</summary>
    private static void ListByCreatedAt(LogRowScan scan, bool descending, LogTopRows top)
    {
        var count = scan.BlockCount;

        // bound[i]: the newest (descending) or oldest (ascending) created_at of blocks i and beyond, in reading order.
        var bound = new long[count + 1];
        bound[count] = descending ? long.MinValue : long.MaxValue;
        for (var i = count - 1; i >= 0; i--)
        {
            var block = descending ? i : count - 1 - i;
            bound[i] = descending ? Math.Max(bound[i + 1], scan.MaxCreatedAtUnixMs(block)) : Math.Min(bound[i + 1], scan.MinCreatedAtUnixMs(block));
        }

        var strings = new LogStringCache();
        var rows = new List<LogRecord>(LogBlock.MaxRows);
        using var buffer = new LogBlockBuffer();
        for (var i = 0; i < count; i++)
        {
            // Strictly beyond: a row of equal created_at may still come first by id.
            if (top.IsFull && (descending ? top.Last.CreatedAtUnixMs > bound[i] : top.Last.CreatedAtUnixMs < bound[i]))
            {
                return;
            }

            rows.Clear();
            scan.ReadBlock(descending ? i : count - 1 - i, rows, strings, buffer);
            foreach (var row in rows)
            {
                top.Add(row);
            }
        }
    }
}
