using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Runs a <see cref="LogQuery"/> over a snapshot of rows: filter and search, order, then page (list) or limit (DELETE).</summary>
public static class LogQueryEngine
{
    public static bool Matches(LogRecord record, LogQuery query)
        => LogFilterEvaluator.Matches(record, query.Filters) && LogSearch.Matches(record, query.Search);

    /// <summary>The requested page; a page past the end has no rows but the true total (the SDK stops on an empty page).</summary>
    public static LogPage List(IEnumerable<LogRecord> rows, LogQuery query)
    {
        var matches = new List<LogRecord>();
        var stats = new LogStats();
        foreach (var row in rows)
        {
            if (Matches(row, query))
            {
                matches.Add(row);
                if (query.MetaInfo)
                {
                    stats = stats.Add(row);
                }
            }
        }

        LogOrdering.Sort(matches, query.OrderBy, query.Descending);
        var skip = (long)(query.Page - 1) * query.PerPage;
        var page = skip >= matches.Count
            ? []
            : matches.GetRange((int)skip, (int)Math.Min(query.PerPage, matches.Count - skip));
        return new LogPage(page, query.Page, query.PerPage, matches.Count, query.MetaInfo ? stats : null);
    }

    /// <summary>The rows a DELETE removes: every match in order, cut to <see cref="LogQuery.Limit"/>.</summary>
    public static List<LogRecord> SelectForDelete(IEnumerable<LogRecord> rows, LogQuery query)
    {
        var matches = rows.Where(row => Matches(row, query)).ToList();
        LogOrdering.Sort(matches, query.OrderBy, query.Descending);
        if (query.Limit is { } limit && matches.Count > limit)
        {
            matches.RemoveRange(limit, matches.Count - limit);
        }

        return matches;
    }
}
