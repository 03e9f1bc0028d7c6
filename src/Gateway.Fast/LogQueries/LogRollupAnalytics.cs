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
        using var buffer = new LogBlockBuffer();
        foreach (var rows in gateways)
        {
            if (!rows.CreatedRange(out var oldest, out var newest))
            {
                continue;
            }

            var start = Math.Max(query.StartUnixMs ?? oldest, oldest);
            var end = Math.Min(query.EndUnixMs ?? newest + 1, newest + 1);
            if (start >= end)
            {
                continue;
            }

            var wholeFrom = CeilTo(start, LogRollup.MinuteMs);
            var wholeTo = FloorTo(end, LogRollup.MinuteMs);
            var scan = rows.Scan();
            if (wholeFrom >= wholeTo)
            {
                AddRows(groups, query, scan, start, end);
                continue;
            }

            AddRows(groups, query, scan, start, wholeFrom);
            AddRows(groups, query, scan, wholeTo, end);
            var hoursFrom = CeilTo(wholeFrom, LogRollup.HourMs);
            var hoursTo = FloorTo(wholeTo, LogRollup.HourMs);
            bool kept;
            if (query.Bucket == LogBucket.Minute || hoursFrom >= hoursTo)
            {
                kept = AddPeriods(groups, query, rows, rollup, LogRollup.Minutes, wholeFrom, wholeTo, buffer);
            }
            else
            {
                kept = AddPeriods(groups, query, rows, rollup, LogRollup.Minutes, wholeFrom, hoursFrom, buffer)
                    && AddPeriods(groups, query, rows, rollup, LogRollup.Hours, hoursFrom, hoursTo, buffer)
                    && AddPeriods(groups, query, rows, rollup, LogRollup.Minutes, hoursTo, wholeTo, buffer);
            }

            if (!kept)
            {
                return false;
            }
        }

        result = LogAnalytics.Order(groups);
        return true;
    }

    private static void AddRows(Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator> groups, LogAnalyticsQuery query,
        LogRowScan scan, long start, long end)
    {
        if (start >= end)
        {
            return;
        }

        foreach (var row in scan.CreatedBetween(start, end))
        {
            LogAnalytics.GroupOf(groups, query, LogRollupKey.Of(row), row.GatewayId, "", LogAnalytics.BucketOf(row.CreatedAtUnixMs, query.Bucket)).Add(row);
        }
    }

    /// <summary>Adds the periods of <paramref name="level"/> that cover [<paramref name="start"/>, <paramref name="end"/>)
    /// (both on the level's boundaries); false when one of them overflowed.</summary>
    private static bool AddPeriods(Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator> groups, LogAnalyticsQuery query,
        GatewayRows rows, LogRollup rollup, int level, long start, long end, LogBlockBuffer buffer)
    {
        var width = level == LogRollup.Minutes ? LogRollup.MinuteMs : LogRollup.HourMs;
        for (var at = start; at < end; at += width)
        {
            buffer.Clear();
            if (rollup.Read(rows.Index, level, LogRollup.PeriodOf(at, width), buffer) is not { } period)
            {
                continue;
            }

            if (period.Overflowed)
            {
                return false;
            }

            // A minute or an hour lies within one bucket of the query's width (hours are used only for hour and day buckets).
            var bucket = LogAnalytics.BucketOf(at, query.Bucket);
            foreach (var (key, cell) in period.Cells)
            {
                LogAnalytics.GroupOf(groups, query, in key, rows.Id, "", bucket).Add(in key, cell);
            }
        }

        return true;
    }

    private static long FloorTo(long unixMs, long width) => LogRollup.PeriodOf(unixMs, width) * width;

    private static long CeilTo(long unixMs, long width)
    {
        var floor = FloorTo(unixMs, width);
        return floor == unixMs ? floor : floor + width;
    }
}
