using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Runs a <see cref="LogQuery"/> over a stream of rows: filter and search, order, then page (list) or limit (DELETE).</summary>
/// <remarks>
/// Rows stream through: only the rows up to the page's end are kept (<see cref="LogTopRows"/>), with the count and the
/// stats of every match. Over a store's <see cref="LogRowScan"/>, blocks whose summary (<see cref="LogBlockFilter"/>) rules
/// out every row are not read; a list by created_at whose total the store can count (unfiltered, or filtered on columns
/// it keeps sums by) stops reading blocks once no block left can hold a row that belongs on the page: page 1 of a
/// gateway of millions of rows reads its newest block or two.
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
        long total;
        if (rows is LogRowScan scan)
        {
            // Over the store: the total of an unfiltered list is the store's count, that of a list filtered on the columns
            // the store keeps sums by is the sums' count; then a list by created_at reads blocks from the matching end and
            // stops once the page is full. Otherwise every block is read, but for those whose summary says no row matches.
            var byCreatedAt = query.OrderBy == LogOrderKey.CreatedAt;
            if (byCreatedAt && !query.MetaInfo && string.IsNullOrEmpty(query.Search)
                && TryTotal(scan, query.Filters, out total))
            {
                ReadBlocks(scan, query, top, stopEarly: true, ref stats);
            }
            else
            {
                total = ReadBlocks(scan, query, top, stopEarly: false, ref stats);
            }
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
        return new LogPage(page, query.Page, query.PerPage, (int)Math.Min(total, int.MaxValue), query.MetaInfo ? stats : null);
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

    /// <summary>The number of rows that pass <paramref name="filters"/>, when the store can tell without reading them.</summary>
    private static bool TryTotal(LogRowScan scan, IReadOnlyList<LogFilter> filters, out long total)
    {
        if (filters.Count == 0)
        {
            total = scan.Count;
            return true;
        }

        return scan.TryCount(filters, out total);
    }

    /// <summary>Reads the scan's blocks, skipping those whose summary rules every row out, and adds the matching rows to
    /// <paramref name="top"/>; returns how many matched. By created_at, blocks are read from the matching end (newest for
    /// descending) and, with <paramref name="stopEarly"/>, reading stops once the page is full and every block left is
    /// entirely on the far side of its last row (the count is then partial: the caller has the total).</summary>
    private static long ReadBlocks(LogRowScan scan, LogQuery query, LogTopRows top, bool stopEarly, ref LogStats stats)
    {
        var count = scan.BlockCount;
        var byCreatedAt = query.OrderBy == LogOrderKey.CreatedAt;
        var descending = query.Descending || !byCreatedAt;

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
        long matched = 0;
        for (var i = 0; i < count; i++)
        {
            // Strictly beyond: a row of equal created_at may still come first by id.
            if (stopEarly && byCreatedAt && top.IsFull && (descending ? top.Last.CreatedAtUnixMs > bound[i] : top.Last.CreatedAtUnixMs < bound[i]))
            {
                break;
            }

            var block = descending ? i : count - 1 - i;
            if (!scan.MayMatch(block, query.Filters))
            {
                continue;
            }

            rows.Clear();
            scan.ReadBlock(block, rows, strings, buffer);
            foreach (var row in rows)
            {
                if (Matches(row, query))
                {
                    matched++;
                    top.Add(row);
                    if (query.MetaInfo)
                    {
                        stats = stats.Add(row);
                    }
                }
            }
        }

        return matched;
    }
}
