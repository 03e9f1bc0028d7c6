using System.Globalization;
using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Sums rows into analytics groups: REST aggregates instead of Cloudflare's GraphQL (docs/gateway-api.md#analytics).</summary>
/// <remarks>Percentiles are nearest-rank, reported as the lower bound of the value's <see cref="LogLatencyHistogram"/>
/// bucket (within 1.6 %, exact under 128 ms), and costs are summed as decimals: the store answers the same numbers from
/// the sums its writer keeps (<see cref="LogRollupAnalytics"/>) as a scan of the rows does.</remarks>
public static class LogAnalytics
{
    /// <summary>The groups of <paramref name="query"/> over the rows of <paramref name="gatewayIds"/>: from the sums the store
    /// keeps when they answer it, else from a scan of the rows in the range.</summary>
    public static List<LogAnalyticsGroup> Run(ILogStore logs, IReadOnlyList<string> gatewayIds, LogAnalyticsQuery query)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(gatewayIds);
        return logs.TryAggregate(gatewayIds, query, out var groups)
            ? groups
            : Aggregate(gatewayIds.SelectMany(id => logs.Scan(id, query.StartUnixMs, query.EndUnixMs)), query);
    }

    public static List<LogAnalyticsGroup> Aggregate(IEnumerable<LogRecord> rows, LogAnalyticsQuery query)
    {
        var groups = new Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator>();

        // Over the store, blocks entirely outside the range are not even read.
        foreach (var row in rows is LogRowScan scan ? scan.CreatedBetween(query.StartUnixMs, query.EndUnixMs) : rows)
        {
            if (row.CreatedAtUnixMs < query.StartUnixMs || row.CreatedAtUnixMs >= query.EndUnixMs)
            {
                continue;
            }

            var metadata = query.MetadataKey is { } name ? MetadataValue(row.Metadata, name) : "";
            GroupOf(groups, query, LogRollupKey.Of(row), row.GatewayId, metadata, BucketOf(row.CreatedAtUnixMs, query.Bucket)).Add(row);
        }

        return Order(groups);
    }

    /// <summary>The accumulator of the group a row or a kept cell belongs to, added when new.</summary>
    internal static LogAnalyticsAccumulator GroupOf(
        Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator> groups, LogAnalyticsQuery query, in LogRollupKey key,
        string gatewayId, string metadata, long? bucket)
    {
        var keys = new KeyValuePair<LogGroupKey, string>[query.GroupBy.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new(query.GroupBy[i], ValueOf(in key, gatewayId, metadata, query.GroupBy[i]));
        }

        // U+001F (unit separator) cannot occur in a provider, model or team id, so joined keys do not collide.
        var id = (bucket, string.Join('\u001f', keys.Select(static k => k.Value)));
        if (!groups.TryGetValue(id, out var accumulator))
        {
            groups[id] = accumulator = new LogAnalyticsAccumulator(keys, bucket, query.GroupBy.Contains(LogGroupKey.Team));
        }

        return accumulator;
    }

    /// <summary>The groups in the API's order: by bucket, then by their key values.</summary>
    internal static List<LogAnalyticsGroup> Order(Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator> groups)
        => groups.Values
            .OrderBy(static a => a.Bucket ?? 0)
            .ThenBy(static a => string.Join('\u001f', a.Keys.Select(static k => k.Value)), StringComparer.Ordinal)
            .Select(static a => a.ToGroup())
            .ToList();

    /// <summary>Nearest-rank percentile of ascending <paramref name="sorted"/>; null when empty.</summary>
    public static double? Percentile(List<int> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static long? BucketOf(long unixMs, LogBucket bucket)
    {
        var width = bucket switch
        {
            LogBucket.Minute => 60_000L,
            LogBucket.Hour => 3_600_000L,
            LogBucket.Day => 86_400_000L,
            _ => 0L,
        };
        return width == 0 ? null : unixMs - (((unixMs % width) + width) % width);
    }

    private static string ValueOf(in LogRollupKey row, string gatewayId, string metadata, LogGroupKey key) => key switch
    {
        LogGroupKey.Gateway => gatewayId,
        LogGroupKey.Metadata => metadata,
        LogGroupKey.Provider => row.Provider,
        LogGroupKey.Model => row.Model,
        LogGroupKey.ModelType => row.ModelType,
        LogGroupKey.RequestType => row.RequestType,
        LogGroupKey.StatusCode => row.StatusCode.ToString(CultureInfo.InvariantCulture),
        LogGroupKey.Success => row.Success ? "true" : "false",
        LogGroupKey.Team => row.TeamId ?? "",
        _ => row.Cached ? "true" : "false",
    };

    private static string MetadataValue(string? json, string key)
    {
        foreach (var (name, value) in LogMetadata.Entries(json))
        {
            if (name == key)
            {
                return value;
            }
        }

        return "";
    }
}
