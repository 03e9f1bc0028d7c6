using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Answers an analytics query from the sums the store's writer keeps per minute and hour (<see cref="LogRollup"/>),
/// reading rows only for the partial minutes at the range's two ends.</summary>
/// <remarks>
/// A range [start, end) is cut into: the rows of [start, first whole minute) and [last whole minute, end), scanned; whole
/// hours, read as hour periods; the whole minutes around them, read as minute periods (all minutes when the query's
/// buckets are minutes). Each kept cell carries its key, so any group_by but metadata regroups it. The answer is the one a
/// scan of the rows gives (<see cref="LogAnalytics.Aggregate"/>): both add the same integers, decimals and bucket counts.
/// </remarks>
internal static class LogRollupAnalytics
{
    // Periods read from the store at once: a week's 168 hours in six waits for the disk. Each buffer holds a pooled
    // 64 KiB array while the query runs.
    private const int ReadBatch = 32;

    /// <summary>The groups of <paramref name="query"/> over the rows of <paramref name="gateways"/>; false when the kept
    /// sums cannot answer it (grouped by metadata, or a period too large to keep), and the caller scans instead.</summary>
    public static bool TryAggregate(IReadOnlyList<GatewayRows> gateways, LogRollup rollup, LogAnalyticsQuery query, out List<LogAnalyticsGroup> result)
    {
        result = [];
        if (query.GroupBy.Contains(LogGroupKey.Metadata))
        {
            return false;
        }

        var groups = new Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator>();
        foreach (var rows in gateways)
        {
            var kept = Walk(
                rows, rollup, query.StartUnixMs, query.EndUnixMs, minutesOnly: query.Bucket == LogBucket.Minute, histograms: true,
                row => LogAnalytics.GroupOf(groups, query, LogRollupKey.Of(row), row.GatewayId, "", LogAnalytics.BucketOf(row.CreatedAtUnixMs, query.Bucket)).Add(row),
                // A minute or an hour lies within one bucket of the query's width (hours are read only for hour and day buckets).
                (key, cell, periodStart) => LogAnalytics.GroupOf(groups, query, in key, rows.Id, "", LogAnalytics.BucketOf(periodStart, query.Bucket)).Add(in key, cell));
            if (!kept)
            {
                return false;
            }
        }

        result = LogAnalytics.Order(groups);
        return true;
    }

    /// <summary>How many rows of <paramref name="rows"/> pass <paramref name="filters"/>, from the kept sums; false when a
    /// filter is on a column they are not kept by (anything but provider, model, model_type, request_type, success, cached,
    /// team, and created_at with one bound per filter).</summary>
    public static bool TryCount(GatewayRows rows, LogRollup rollup, IReadOnlyList<LogFilter> filters, out long count)
    {
        count = 0;
        long? start = null, end = null;
        var rest = new List<LogFilter>(filters.Count);
        foreach (var filter in filters)
        {
            if (filter.Key == LogFilterKey.CreatedAt)
            {
                if (!TryNarrow(filter, ref start, ref end))
                {
                    return false;
                }
            }
            else if (filter.Key is LogFilterKey.Provider or LogFilterKey.Model or LogFilterKey.ModelType or LogFilterKey.RequestType
                     or LogFilterKey.Success or LogFilterKey.Cached or LogFilterKey.TeamId or LogFilterKey.TeamName)
            {
                rest.Add(filter);
            }
            else
            {
                return false;
            }
        }

        if (start >= end)
        {
            return true;
        }

        long total = 0;
        var kept = Walk(
            rows, rollup, start, end, minutesOnly: false, histograms: false,
            row => total += LogFilterEvaluator.Matches(row, rest) ? 1 : 0,
            (key, cell, _) => total += LogFilterEvaluator.Matches(RowOf(rows.Id, in key), rest) ? cell.Requests : 0);
        count = total;
        return kept;
    }

    /// <summary>Walks [<paramref name="startUnixMs"/>, <paramref name="endUnixMs"/>) (null: open) of one gateway: the rows of its
    /// partial minutes, then the kept cells of its whole minutes and hours; false when a period overflowed.</summary>
    private static bool Walk(GatewayRows rows, LogRollup rollup, long? startUnixMs, long? endUnixMs, bool minutesOnly, bool histograms,
        Action<LogRecord> onRow, Action<LogRollupKey, LogRollupCell, long> onCell)
    {
        if (!rows.CreatedRange(out var oldest, out var newest))
        {
            return true;
        }

        var start = Math.Max(startUnixMs ?? oldest, oldest);
        var end = Math.Min(endUnixMs ?? newest + 1, newest + 1);
        if (start >= end)
        {
            return true;
        }

        // No live row is older than the oldest or newer than the newest, so a range that reaches past either one takes
        // that end's whole period from the sums instead of reading its rows and minutes: a live gateway's newest minute is
        // always partial, and at 1,000 requests/s it is 60,000 rows to decode for the total of every filtered list.
        var width = minutesOnly ? LogRollup.MinuteMs : LogRollup.HourMs;
        start = start == oldest ? FloorTo(start, width) : start;
        end = end == newest + 1 ? CeilTo(end, width) : end;
        var wholeFrom = CeilTo(start, LogRollup.MinuteMs);
        var wholeTo = FloorTo(end, LogRollup.MinuteMs);
        if (wholeFrom >= wholeTo)
        {
            AddRows(rows, start, end, onRow);
            return true;
        }

        AddRows(rows, start, wholeFrom, onRow);
        AddRows(rows, wholeTo, end, onRow);
        var hoursFrom = CeilTo(wholeFrom, LogRollup.HourMs);
        var hoursTo = FloorTo(wholeTo, LogRollup.HourMs);
        var buffers = new LogBlockBuffer[ReadBatch];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new LogBlockBuffer();
        }

        try
        {
            if (minutesOnly || hoursFrom >= hoursTo)
            {
                return AddPeriods(rows, rollup, LogRollup.Minutes, wholeFrom, wholeTo, buffers, histograms, onCell);
            }

            return AddPeriods(rows, rollup, LogRollup.Minutes, wholeFrom, hoursFrom, buffers, histograms, onCell)
                && AddPeriods(rows, rollup, LogRollup.Hours, hoursFrom, hoursTo, buffers, histograms, onCell)
                && AddPeriods(rows, rollup, LogRollup.Minutes, hoursTo, wholeTo, buffers, histograms, onCell);
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                buffer.Dispose();
            }
        }
    }

    private static void AddRows(GatewayRows rows, long start, long end, Action<LogRecord> onRow)
    {
        if (start >= end)
        {
            return;
        }

        // A scan copies the gateway's block summaries (2.8 MB for 10 million rows): taken only when there are rows to read.
        foreach (var row in rows.Scan().CreatedBetween(start, end))
        {
            onRow(row);
        }
    }

    /// <summary>The cells of the periods of <paramref name="level"/> that cover [<paramref name="start"/>, <paramref name="end"/>)
    /// (both on the level's boundaries), in order; false when one of them overflowed. Periods are read a batch at a time:
    /// those past the store's memory budget are on disk, and one wait for a batch costs less than one wait each.</summary>
    private static bool AddPeriods(GatewayRows rows, LogRollup rollup, int level, long start, long end, LogBlockBuffer[] buffers,
        bool histograms, Action<LogRollupKey, LogRollupCell, long> onCell)
    {
        var width = level == LogRollup.Minutes ? LogRollup.MinuteMs : LogRollup.HourMs;
        Span<long> periods = stackalloc long[buffers.Length];
        for (var at = start; at < end;)
        {
            var n = 0;
            for (; n < periods.Length && at + (n * width) < end; n++)
            {
                periods[n] = LogRollup.PeriodOf(at + (n * width), width);
            }

            rollup.ReadMany(rows.Index, level, periods[..n], buffers);
            for (var i = 0; i < n; i++, at += width)
            {
                if (buffers[i].Length == 0 || LogRollupPeriod.Decode(buffers[i].Span, histograms) is not { } period)
                {
                    continue;
                }

                if (period.Overflowed)
                {
                    return false;
                }

                foreach (var (key, cell) in period.Cells)
                {
                    onCell(key, cell, at);
                }
            }
        }

        return true;
    }

    /// <summary>A row with a cell's key columns, for testing the cell against filters on those columns.</summary>
    private static LogRecord RowOf(string gatewayId, in LogRollupKey key) => new()
    {
        Id = "",
        GatewayId = gatewayId,
        Provider = key.Provider,
        Model = key.Model,
        ModelType = key.ModelType,
        RequestType = key.RequestType,
        StatusCode = key.StatusCode,
        Success = key.Success,
        Cached = key.Cached,
        TeamId = key.TeamId,
        TeamName = key.TeamName,
    };

    /// <summary>Narrows [start, end) by one created_at filter; false when it is not one bound (several values, neq, a null).</summary>
    private static bool TryNarrow(LogFilter filter, ref long? start, ref long? end)
    {
        if (filter.Values.Count != 1 || filter.Values[0].IsNull || filter.Values[0].Kind != LogFilterValueKind.Number)
        {
            return false;
        }

        var v = filter.Values[0].Number;
        (long? from, long? to) = filter.Operator switch
        {
            LogFilterOperator.Gt => ((long?)((long)Math.Floor(v) + 1), (long?)null),
            LogFilterOperator.Gte => ((long)Math.Ceiling(v), null),
            LogFilterOperator.Lt => (null, (long)Math.Ceiling(v)),
            LogFilterOperator.Lte => (null, (long)Math.Floor(v) + 1),
            LogFilterOperator.Eq => Math.Floor(v) == v ? ((long)v, (long)v + 1) : (0, 0),
            _ => (long.MinValue, long.MinValue),
        };
        if (from == long.MinValue)
        {
            return false;
        }

        start = from is { } f && (start is null || f > start) ? f : start;
        end = to is { } t && (end is null || t < end) ? t : end;
        return true;
    }

    private static long FloorTo(long unixMs, long width) => LogRollup.PeriodOf(unixMs, width) * width;

    private static long CeilTo(long unixMs, long width)
    {
        var floor = FloorTo(unixMs, width);
        return floor == unixMs ? floor : floor + width;
    }
}
