using System.Globalization;
using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Sums rows into analytics groups: REST aggregates instead of Cloudflare's GraphQL (docs/gateway-api.md#analytics).</summary>
/// <remarks>Percentiles are nearest-rank over the group's exact values (the cold path can afford to keep them).</remarks>
public static class LogAnalytics
{
    public static List<LogAnalyticsGroup> Aggregate(IEnumerable<LogRecord> rows, LogAnalyticsQuery query)
    {
        var groups = new Dictionary<(long? Bucket, string Key), Accumulator>();

        // Over the store, blocks entirely outside the range are not even read.
        foreach (var row in rows is LogRowScan scan ? scan.CreatedBetween(query.StartUnixMs, query.EndUnixMs) : rows)
        {
            if (row.CreatedAtUnixMs < query.StartUnixMs || row.CreatedAtUnixMs >= query.EndUnixMs)
            {
                continue;
            }

            var keys = new KeyValuePair<LogGroupKey, string>[query.GroupBy.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = new(query.GroupBy[i], ValueOf(row, query.GroupBy[i], query.MetadataKey));
            }

            // U+001F (unit separator) cannot occur in a provider, model or team id, so joined keys do not collide.
            var id = (BucketOf(row.CreatedAtUnixMs, query.Bucket), string.Join('\u001f', keys.Select(static k => k.Value)));
            if (!groups.TryGetValue(id, out var accumulator))
            {
                groups[id] = accumulator = new Accumulator(keys, id.Item1, query.GroupBy.Contains(LogGroupKey.Team));
            }

            accumulator.Add(row);
        }

        return groups.Values
            .OrderBy(static a => a.Bucket ?? 0)
            .ThenBy(static a => string.Join('\u001f', a.Keys.Select(static k => k.Value)), StringComparer.Ordinal)
            .Select(static a => a.ToGroup())
            .ToList();
    }

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

    private static string ValueOf(LogRecord row, LogGroupKey key, string? metadataKey) => key switch
    {
        LogGroupKey.Gateway => row.GatewayId,
        LogGroupKey.Metadata => MetadataValue(row.Metadata, metadataKey!),
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

    private sealed class Accumulator(KeyValuePair<LogGroupKey, string>[] keys, long? bucket, bool byTeam)
    {
        private long _teamNameAt = long.MinValue;
        private string? _teamName;
        private readonly List<int> _durations = [];
        private readonly List<int> _ttft = [];
        private long _errors;
        private long _cacheHits;
        private long _tokensIn;
        private long _tokensOut;
        private double _cost;
        private double _cacheSavedCost;
        private long _rateLimited;

        public KeyValuePair<LogGroupKey, string>[] Keys { get; } = keys;

        public long? Bucket { get; } = bucket;

        public void Add(LogRecord row)
        {
            _durations.Add(row.Duration);
            if (row.TimeToFirstTokenMs is { } ttft)
            {
                _ttft.Add(ttft);
            }

            _errors += row.Success ? 0 : 1;
            _cacheHits += row.Cached ? 1 : 0;
            _tokensIn += row.TokensIn ?? 0;
            _tokensOut += row.TokensOut ?? 0;
            _cost += row.Cost ?? 0;

            // A cache hit is priced as the answer it replays (RequestLogRow), so its cost is what the cache saved.
            _cacheSavedCost += row.Cached ? row.Cost ?? 0 : 0;
            _rateLimited += row.StatusCode == 429 ? 1 : 0;

            // A team renamed within the range is reported by its latest name: the id is the group, the name a label.
            if (byTeam && row.TeamName is not null && row.CreatedAtUnixMs >= _teamNameAt)
            {
                _teamNameAt = row.CreatedAtUnixMs;
                _teamName = row.TeamName;
            }
        }

        public LogAnalyticsGroup ToGroup()
        {
            _durations.Sort();
            _ttft.Sort();
            return new LogAnalyticsGroup(
                Keys, Bucket, _durations.Count, _errors, _cacheHits, _tokensIn, _tokensOut, _cost,
                Percentile(_durations, 50), Percentile(_durations, 95), Percentile(_durations, 99),
                Percentile(_ttft, 50), Percentile(_ttft, 95))
            {
                TeamName = _teamName,
                CacheSavedCost = _cacheSavedCost,
                RateLimited = _rateLimited,
            };
        }
    }
}
