using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Fleet;

/// <summary>Merges the replicas' analytics into the groups one node holding every row would answer: each replica sends its
/// groups' <see cref="LogAnalyticsSums"/> (counts, exact decimal costs, latency histograms), the sums of a group are added
/// across replicas, and only then are its percentiles read, so p50/p95/p99 are those of all the rows, not an average.</summary>
internal static class FleetAnalyticsMerge
{
    /// <summary>The sums of <paramref name="groups"/>, as a forwarded analytics call answers them.</summary>
    public static byte[] Write(IEnumerable<LogAnalyticsGroup> groups)
        => JsonSerializer.SerializeToUtf8Bytes(groups.Select(static g => g.Sums!).ToList(), FleetAnalyticsJsonContext.Default.ListLogAnalyticsSums);

    /// <summary>Another replica's sums; false when its answer is not a list of them for this query's keys.</summary>
    public static bool TryRead(byte[] body, LogAnalyticsQuery query, out List<LogAnalyticsSums> sums)
    {
        try
        {
            sums = JsonSerializer.Deserialize(body, FleetAnalyticsJsonContext.Default.ListLogAnalyticsSums) ?? [];
        }
        catch (JsonException)
        {
            sums = [];
            return false;
        }

        // Histogram indexes come from another process: one out of range would break the percentile read, so the answer is refused.
        return sums.TrueForAll(s => s is { Keys: not null, Durations: not null, TimesToFirstToken: not null }
            && s.Keys.Count == query.GroupBy.Count
            && s.Durations.Keys.All(InRange) && s.TimesToFirstToken.Keys.All(InRange));
    }

    /// <summary>The merged groups in the API's order (by bucket, then key values).</summary>
    public static List<LogAnalyticsGroup> Merge(LogAnalyticsQuery query, IEnumerable<LogAnalyticsSums> sums)
    {
        var byTeam = query.GroupBy.Contains(LogGroupKey.Team);
        var groups = new Dictionary<(long? Bucket, string Key), LogAnalyticsAccumulator>();
        foreach (var part in sums)
        {
            // The same joined key LogAnalytics.GroupOf uses, so a group of one replica meets its twin of another.
            var id = (part.Bucket, string.Join('\u001f', part.Keys));
            if (!groups.TryGetValue(id, out var accumulator))
            {
                var keys = new KeyValuePair<LogGroupKey, string>[query.GroupBy.Count];
                for (int i = 0; i < keys.Length; i++)
                {
                    keys[i] = new(query.GroupBy[i], part.Keys[i]);
                }

                groups[id] = accumulator = new LogAnalyticsAccumulator(keys, part.Bucket, byTeam);
            }

            accumulator.Add(part);
        }

        return LogAnalytics.Order(groups);
    }

    private static bool InRange(int index) => (uint)index < LogLatencyHistogram.BucketCount;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<LogAnalyticsSums>))]
internal sealed partial class FleetAnalyticsJsonContext : JsonSerializerContext;
