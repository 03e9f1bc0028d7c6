using System.Text.Json.Nodes;
using Gateway.Fast.Fleet;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Management;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>The fleet's merges against one node's answer over the same rows: rows split over three replicas (one merged as
/// written here, two as parsed from their JSON) must page, order, count and sum exactly as the rows together do.</summary>
public sealed class FleetMergeTests
{
    private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "o3", "claude"];

    /// <summary>Rows with many ties (few models, created_at over 40 ms) and missing numbers, so tie-breaks and nulls matter.</summary>
    private static List<LogRecord> Rows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new LogRecord
        {
            Id = $"row-{random.Next(1_000_000):D7}-{i}",
            GatewayId = "gw",
            CreatedAtUnixMs = 1_700_000_000_000 + random.Next(40) * 7_000,
            Provider = random.Next(2) == 0 ? "openai" : "anthropic",
            Model = Models[random.Next(Models.Length)],
            ModelType = random.Next(3) == 0 ? "embeddings" : "chat",
            Success = random.Next(4) != 0,
            Cached = random.Next(3) == 0,
            StatusCode = random.Next(5) == 0 ? 429 : 200,
            Duration = random.Next(1, 5_000),
            TimeToFirstTokenMs = random.Next(3) == 0 ? null : random.Next(1, 900),
            TokensIn = random.Next(5) == 0 ? null : random.Next(0, 400),
            TokensOut = random.Next(5) == 0 ? null : random.Next(0, 400),
            Cost = random.Next(4) == 0 ? null : Math.Round(random.NextDouble() / 100, 6),
            Feedback = random.Next(-1, 2),
            TeamId = random.Next(3) == 0 ? null : $"team-{random.Next(3)}",
            TeamName = $"Team {random.Next(2)}",
        }).ToList();
    }

    /// <summary>Rows dealt to three replicas; replica 0 is "this one", the others arrive as JSON.</summary>
    private static List<LogRecord>[] Split(List<LogRecord> rows)
    {
        var parts = new[] { new List<LogRecord>(), new List<LogRecord>(), new List<LogRecord>() };
        for (int i = 0; i < rows.Count; i++)
        {
            parts[i * 7 % 3].Add(rows[i]);
        }

        return parts;
    }

    private static FleetLogRow Remote(LogRecord row, string replica)
        => new((JsonObject)JsonNode.Parse(LogsJson.ToRow(row).ToJsonString())!, replica);

    public static TheoryData<LogOrderKey, bool> ListOrders()
    {
        var data = new TheoryData<LogOrderKey, bool>();
        foreach (var key in new[] { LogOrderKey.CreatedAt, LogOrderKey.Provider, LogOrderKey.Model, LogOrderKey.ModelType, LogOrderKey.Success, LogOrderKey.Cached })
        {
            data.Add(key, true);
            data.Add(key, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ListOrders))]
    public void EveryPage_OfTheMergedShares_IsOneNodesPage(LogOrderKey key, bool descending)
    {
        var rows = Rows(120, seed: (int)key * 2 + (descending ? 1 : 0));
        var parts = Split(rows);
        for (int page = 1; page <= 9; page++)
        {
            var query = new LogQuery { OrderBy = key, Descending = descending, Page = page, PerPage = 15, MetaInfo = true };
            var window = query with { Page = 1, PerPage = (int)FleetLogMerge.Window(query) };
            var shares = new List<FleetLogShare> { FleetLogMerge.FromLocal(LogQueryEngine.List(parts[0], window)) };
            for (int r = 1; r < parts.Length; r++)
            {
                var local = LogQueryEngine.List(parts[r], window);
                shares.Add(new FleetLogShare([.. local.Rows.Select(row => Remote(row, $"r{r}"))], local.TotalCount, local.Stats));
            }

            var expected = LogQueryEngine.List(rows, query);
            var (merged, total, stats) = FleetLogMerge.Merge(query, shares);
            Assert.Equal(expected.Rows.Select(static r => r.Id), merged.Select(static r => r.Id));
            Assert.Equal(expected.TotalCount, total);
            Assert.Equal(expected.Stats, stats);
        }
    }

    [Theory]
    [InlineData(LogOrderKey.Cost)]
    [InlineData(LogOrderKey.TokensIn)]
    [InlineData(LogOrderKey.TokensOut)]
    [InlineData(LogOrderKey.Duration)]
    [InlineData(LogOrderKey.Feedback)]
    [InlineData(LogOrderKey.CreatedAt)]
    public void RowsReadFromJson_SortAsTheRowsThemselves_ForEveryDeleteOrder(LogOrderKey key)
    {
        var rows = Rows(200, seed: 40 + (int)key);
        foreach (var descending in new[] { true, false })
        {
            var expected = rows.ToList();
            LogOrdering.Sort(expected, key, descending);
            var fromJson = rows.Select((r, i) => i % 2 == 0 ? Remote(r, "r1") : new FleetLogRow(LogsJson.ToRow(r), null)).ToList();
            fromJson.Sort(FleetLogRow.Order(key, descending));
            Assert.Equal(expected.Select(static r => r.Id), fromJson.Select(static r => r.Id));
        }
    }

    [Theory]
    [InlineData(LogBucket.None, new[] { LogGroupKey.Model })]
    [InlineData(LogBucket.Minute, new[] { LogGroupKey.Model, LogGroupKey.Team })]
    [InlineData(LogBucket.Hour, new[] { LogGroupKey.Provider, LogGroupKey.Cached, LogGroupKey.StatusCode })]
    public void AnalyticsMergedFromTheReplicasSums_AreOneNodesGroups(LogBucket bucket, LogGroupKey[] groupBy)
    {
        var rows = Rows(500, seed: 7);
        var query = new LogAnalyticsQuery { GroupBy = groupBy, Bucket = bucket };
        var sums = new List<LogAnalyticsSums>();
        foreach (var part in Split(rows))
        {
            var groups = LogAnalytics.Aggregate(part, query);

            // Through the wire format the replicas send each other.
            Assert.True(FleetAnalyticsMerge.TryRead(FleetAnalyticsMerge.Write(groups), query, out var read));
            sums.AddRange(read);
        }

        var expected = LogAnalytics.Aggregate(rows, query).Select(static g => AnalyticsHandlers.ToNode(g).ToJsonString());
        var merged = FleetAnalyticsMerge.Merge(query, sums).Select(static g => AnalyticsHandlers.ToNode(g).ToJsonString());
        Assert.Equal(expected, merged);
    }

    [Fact]
    public void AnAnswerWithAHistogramIndexOutOfRange_IsRefused()
    {
        var query = new LogAnalyticsQuery { GroupBy = [LogGroupKey.Model] };
        var body = """[{"keys":["m"],"bucket":null,"requests":1,"errors":0,"cache_hits":0,"tokens_in":0,"tokens_out":0,"cost":0,"cache_saved_cost":0,"rate_limited":0,"times_to_first_token_count":0,"durations":{"999999":1},"times_to_first_token":{},"team_name":null,"team_name_at_unix_ms":0}]"""u8.ToArray();
        Assert.False(FleetAnalyticsMerge.TryRead(body, query, out _));
        Assert.False(FleetAnalyticsMerge.TryRead("""[{"keys":[]}]"""u8.ToArray(), query, out _));
    }
}
