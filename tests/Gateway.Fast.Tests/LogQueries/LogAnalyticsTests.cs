using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Tests.LogQueries;

public sealed class LogAnalyticsTests
{
    private static LogAnalyticsQuery Parse(string text)
    {
        Assert.True(LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out var query, out var errors), string.Join("; ", errors));
        return query;
    }

    [Fact]
    public void NoGrouping_SumsEverything()
    {
        var group = Assert.Single(LogAnalytics.Aggregate(LogRows.All, new LogAnalyticsQuery()));
        Assert.Equal((3L, 1L, 1L, 17L, 20L), (group.Requests, group.Errors, group.CacheHits, group.TokensIn, group.TokensOut));
        Assert.Equal(0.01, group.Cost, 9);
        Assert.Equal((100.0, 300.0, 300.0), (group.LatencyP50, group.LatencyP95, group.LatencyP99));
        Assert.Equal((5.0, 50.0), (group.TimeToFirstTokenP50, group.TimeToFirstTokenP95));
        Assert.Null(group.BucketStartUnixMs);
        Assert.Empty(group.Keys);
    }

    [Fact]
    public void GroupByProviderAndModel_OneGroupPerPair()
    {
        var groups = LogAnalytics.Aggregate(LogRows.All, Parse("group_by=provider,model"));
        Assert.Equal(["anthropic/claude-3", "openai/gpt-4o", "openai/text-embedding-3"], groups.Select(g => $"{g.Keys[0].Value}/{g.Keys[1].Value}"));
        Assert.Equal(LogGroupKey.Provider, groups[0].Keys[0].Key);
        Assert.All(groups, g => Assert.Equal(1, g.Requests));
        Assert.Null(groups[0].TimeToFirstTokenP50);
    }

    [Fact]
    public void GroupByTeam_OneGroupPerTeamIdLabelledWithItsLatestName()
    {
        var groups = LogAnalytics.Aggregate(LogRows.All, Parse("group_by=team"));

        // Rows of no team make their own group (key ""), first in ordinal order.
        Assert.Equal(["", "t-red"], groups.Select(g => g.Keys[0].Value));
        Assert.Equal(LogGroupKey.Team, groups[0].Keys[0].Key);
        Assert.Equal((1L, 2L), (groups[0].Requests, groups[1].Requests));
        Assert.Null(groups[0].TeamName);
        Assert.Equal("Red Team", groups[1].TeamName); // C, renamed after A, is the newer row
        Assert.Equal((17L, 20L), (groups[1].TokensIn, groups[1].TokensOut));
    }

    [Fact]
    public void GroupByTeamAndProvider_SplitsTheTeam()
    {
        var groups = LogAnalytics.Aggregate(LogRows.All.Where(r => r.TeamId is not null), Parse("group_by=team,model"));
        Assert.Equal(["t-red/gpt-4o", "t-red/text-embedding-3"], groups.Select(g => $"{g.Keys[0].Value}/{g.Keys[1].Value}"));
        Assert.Equal(["Red", "Red Team"], groups.Select(g => g.TeamName));
    }

    [Fact]
    public void GroupsWithoutTeam_CarryNoTeamName()
        => Assert.All(LogAnalytics.Aggregate(LogRows.All, Parse("group_by=provider")), g => Assert.Null(g.TeamName));

    [Fact]
    public void DayBuckets_SplitByTimeAndRangeIsHalfOpen()
    {
        var groups = LogAnalytics.Aggregate(LogRows.All, Parse("bucket=day&start=2025-01-01T00:00:00Z&end=2025-01-03T00:00:00Z&group_by=success"));
        Assert.Equal([LogRows.A.CreatedAtUnixMs, LogRows.B.CreatedAtUnixMs], groups.Select(g => g.BucketStartUnixMs!.Value));
        Assert.Equal(["true", "false"], groups.Select(g => g.Keys[0].Value));
    }

    [Fact]
    public void HourAndMinuteBuckets_FloorTheTimestamp()
    {
        Assert.Equal(3_600_000L, LogAnalytics.BucketOf(3_600_000 + 59_999, LogBucket.Hour));
        Assert.Equal(60_000L, LogAnalytics.BucketOf(119_999, LogBucket.Minute));
        Assert.Null(LogAnalytics.BucketOf(5, LogBucket.None));
    }

    [Fact]
    public void Percentiles_AreNearestRank()
    {
        var rows = Enumerable.Range(1, 100).Select(i => LogRows.A with { Id = $"R{i}", Duration = i, TimeToFirstTokenMs = null });
        var group = Assert.Single(LogAnalytics.Aggregate(rows, new LogAnalyticsQuery()));
        Assert.Equal((50.0, 95.0, 99.0), (group.LatencyP50, group.LatencyP95, group.LatencyP99));
        Assert.Null(group.TimeToFirstTokenP95);
    }

    [Fact]
    public void Percentiles_AboveTheExactRange_AreTheLowerBoundOfTheirBucket()
    {
        var rows = Enumerable.Range(1, 100).Select(i => LogRows.A with { Id = $"R{i}", Duration = 1_000 + i });
        var group = Assert.Single(LogAnalytics.Aggregate(rows, new LogAnalyticsQuery()));

        // 1,050 lies in [1,040, 1,056): buckets above 1,024 are 16 ms wide.
        Assert.Equal((1_040.0, 1_088.0), (group.LatencyP50, group.LatencyP95));
    }

    [Fact]
    public void LatencyBuckets_AreExactUnder128AndWithinOneSixtyFourthAbove()
    {
        for (var value = 0; value < 2_000_000; value += 1 + (value / 50))
        {
            var bound = LogLatencyHistogram.Quantize(value);
            Assert.True(bound <= value && value - bound <= value / 64, $"{value} -> {bound}");
            if (value < 128)
            {
                Assert.Equal(value, bound);
            }
        }

        Assert.Equal(LogLatencyHistogram.BucketCount - 1, LogLatencyHistogram.IndexOf(int.MaxValue));
    }

    [Theory]
    [InlineData("group_by=colour", "group_by")]
    [InlineData("bucket=week", "bucket")]
    [InlineData("start=someday", "start")]
    [InlineData("start=2025-01-02T00:00:00Z&end=2025-01-01T00:00:00Z", "end")]
    public void BadParams_AreReportedWithPath(string text, string path)
    {
        Assert.False(LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out _, out var errors));
        Assert.Equal(path, Assert.Single(errors).Path);
    }

    [Fact]
    public void EmptyInput_HasNoGroups() => Assert.Empty(LogAnalytics.Aggregate(Array.Empty<LogRecord>(), new LogAnalyticsQuery()));

    [Fact]
    public void GroupByMetadataKey_OneGroupPerValueAndOneForRowsWithoutIt()
    {
        var query = Parse("group_by=metadata.user");
        Assert.Equal("user", query.MetadataKey);
        var groups = LogAnalytics.Aggregate(LogRows.All, query);
        Assert.Equal(["", "alice", "bob"], groups.Select(g => g.Keys[0].Value));
        Assert.All(groups, g => Assert.Equal(LogGroupKey.Metadata, g.Keys[0].Key));
    }

    [Theory]
    [InlineData("group_by=metadata.")]
    [InlineData("group_by=metadata.user,metadata.tier")]
    [InlineData("group_by=gatewayz")]
    public void GroupBy_RejectsAnEmptyOrSecondMetadataKeyAndUnknownNames(string text)
    {
        Assert.False(LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out _, out var errors));
        Assert.Equal("group_by", Assert.Single(errors).Path);
    }

    [Fact]
    public void GroupByGateway_SeparatesGateways()
    {
        var rows = LogRows.All.Append(LogRows.A with { Id = "01D", GatewayId = "other" });
        var groups = LogAnalytics.Aggregate(rows, Parse("group_by=gateway"));
        Assert.Equal([("gw", 3L), ("other", 1L)], groups.Select(g => (g.Keys[0].Value, g.Requests)));
    }

    [Fact]
    public void CacheSavedCost_SumsTheHitsCostAndRateLimitedCounts429s()
    {
        var rows = new[]
        {
            LogRows.A,
            LogRows.C with { Cost = 0.004 },
            LogRows.C with { Id = "01E", Cost = 0.002 },
            LogRows.B with { Id = "01F", StatusCode = 429 },
        };
        var group = Assert.Single(LogAnalytics.Aggregate(rows, new LogAnalyticsQuery()));
        Assert.Equal(0.006, group.CacheSavedCost, 9);
        Assert.Equal(0.016, group.Cost, 9);
        Assert.Equal(1, group.RateLimited);
    }
}
