using System.Globalization;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>Analytics answered from the sums the store's writer keeps are the answers of a scan of the same rows: for
/// ranges that cut minutes and hours, every bucket width and group_by, after deletes, PATCHes, retention and a restart.</summary>
public sealed class LogRollupTests : IDisposable
{
    // Not on a minute: every range below has partial minutes at its ends.
    private const long Base = 1_700_000_123_456;
    private const long Hour = 3_600_000;
    private const int RowsA = 3_000; // one every 6 s: five hours
    private const int RowsB = 400;

    private static readonly string[] Queries =
    [
        "",
        "group_by=model,provider",
        "group_by=team",
        "group_by=team,model&bucket=hour",
        $"start={Base + 12_345}&end={Base + (4 * Hour) + 777}&group_by=team&bucket=hour",
        $"start={Base + 61_001}&end={Base + (2 * Hour) + 59_999}&group_by=success&bucket=minute",
        $"start={Base}&end={Base + (5 * Hour)}&group_by=status_code,cached&bucket=day",
        $"start={Base + Hour - (Base % Hour)}&end={Base + (3 * Hour) - (Base % Hour)}&group_by=request_type,model_type",
        $"start={Base + 1_000}&end={Base + 50_000}&group_by=model",
        $"start={Base - Hour}&end={Base - 1}",
        $"start={Base + (3 * Hour)}&group_by=provider&bucket=minute",
        $"end={Base + (2 * Hour) + 5}&group_by=team,status_code",
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KeptSums_AnswerAsTheScan_AfterDeletesPatchesRetentionAndARestart()
    {
        var options = Options(maxAge: TimeSpan.FromHours(5));
        await using (var store = FasterLogStore.Open(_dir.Path, options))
        {
            for (var n = 0; n < RowsA; n++)
            {
                await store.AppendAsync(Entry(Record("a", n)), default);
            }

            for (var n = 0; n < RowsB; n++)
            {
                await store.AppendAsync(Entry(Record("b", n) with { CreatedAtUnixMs = Base + (n * 45_000L) }), default);
            }

            await store.FlushAsync(default);
            AssertSameAnswers(store, "filled");

            // Deletes: every 11th row, and the newest row of team t1 (its cell's newest must be found again).
            var newestT1 = Enumerable.Range(0, RowsA).Last(n => Record("a", n).TeamId == "t1");
            var doomed = Enumerable.Range(0, RowsA).Where(n => n % 11 == 0 || n == newestT1).Select(n => $"a-{n:D6}").ToList();
            Assert.Equal(doomed.Count, await store.DeleteAsync(doomed));
            AssertSameAnswers(store, "deleted");

            // Every row of the newer name gone: the team is reported by its old name again.
            var renamed = Enumerable.Range(0, RowsA).Where(n => n % 11 != 0 && n != newestT1 && Record("a", n).TeamName == "New t1")
                .Select(n => $"a-{n:D6}").ToList();
            Assert.Equal(renamed.Count, await store.DeleteAsync(renamed));
            var teams = Analytics(store, ["a"], "group_by=team");
            Assert.Equal("Old t1", teams.Single(g => g.Keys[0].Value == "t1").TeamName);
            AssertSameAnswers(store, "renamed");

            // PATCHes that move a row to another cell (model, team name) and change its sums.
            for (var n = 1; n < RowsA; n += 97)
            {
                await store.UpdateAsync($"a-{n:D6}", r => r with { Model = "patched", Cost = 1.25, Duration = 7_777, TeamName = r.TeamId is null ? null : "Patched" });
            }

            AssertSameAnswers(store, "patched");

            // Retention by age: the first hour's rows go.
            Assert.True(await store.SweepAsync(DateTimeOffset.FromUnixTimeMilliseconds(Base + (6 * Hour))) > 0);
            AssertSameAnswers(store, "swept");
        }

        await using var reopened = FasterLogStore.Open(_dir.Path, options);
        AssertSameAnswers(reopened, "reopened");
    }

    [Fact]
    public async Task GroupByMetadata_IsLeftToTheScan()
    {
        await using var store = FasterLogStore.Open(_dir.Path, Options());
        await store.AppendAsync(Entry(Record("a", 1)), default);
        await store.FlushAsync(default);
        Assert.True(LogAnalyticsQuery.TryParse(QueryStringReader.Read("group_by=metadata.user"), out var query, out _));
        Assert.False(store.TryAggregate(["a"], query, out _));
        Assert.Equal("ü", Assert.Single(LogAnalytics.Run(store, ["a"], query)).Keys[0].Value);
    }

    private static void AssertSameAnswers(FasterLogStore store, string step)
    {
        foreach (var text in Queries)
        {
            foreach (string[] gateways in (string[][])[["a"], ["a", "b"]])
            {
                var query = Parse(text + (gateways.Length > 1 ? "&group_by=gateway" : ""));
                var scanned = LogAnalytics.Aggregate(gateways.SelectMany(g => store.Scan(g, query.StartUnixMs, query.EndUnixMs)), query);
                Assert.True(store.TryAggregate(gateways, query, out var kept), $"{step}: {text}");
                Assert.Equal(Describe(scanned), Describe(kept));
            }
        }
    }

    private static List<LogAnalyticsGroup> Analytics(FasterLogStore store, string[] gateways, string text)
    {
        Assert.True(store.TryAggregate(gateways, Parse(text), out var groups));
        return groups;
    }

    private static LogAnalyticsQuery Parse(string text)
    {
        Assert.True(LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out var query, out var errors), string.Join("; ", errors));
        return query;
    }

    private static List<string> Describe(List<LogAnalyticsGroup> groups) => groups.ConvertAll(g => string.Join(' ',
        string.Join(',', g.Keys.Select(k => $"{k.Key}={k.Value}")), g.BucketStartUnixMs, g.Requests, g.Errors, g.CacheHits, g.TokensIn,
        g.TokensOut, g.Cost.ToString("R", CultureInfo.InvariantCulture), g.CacheSavedCost.ToString("R", CultureInfo.InvariantCulture),
        g.RateLimited, g.LatencyP50, g.LatencyP95, g.LatencyP99, g.TimeToFirstTokenP50, g.TimeToFirstTokenP95, g.TeamName));

    /// <summary>Rows that vary every column a cell is kept by, with costs of many digits, durations on both sides of the
    /// histogram's exact range, and a team renamed halfway.</summary>
    private static LogRecord Record(string gateway, int n)
    {
        var success = n % 9 != 0;
        var team = n % 3 == 0 ? null : "t" + (n % 2);
        return Row(gateway, n, Base + (n * 6_000L) + ((n * 7_919L) % 2_000)) with
        {
            Provider = ((string[])["openai", "anthropic", "groq"])[n % 3],
            Model = "m" + (n / 7 % 4),
            RequestType = n % 10 == 0 ? "universal" : "provider",
            ModelType = n % 13 == 0 ? "embedding" : "chat",
            Success = success,
            StatusCode = success ? 200 : n % 2 == 0 ? 429 : 500,
            Cached = n % 5 == 0,
            Duration = (n * 37) % 5_000,
            TimeToFirstTokenMs = n % 4 == 0 ? null : (n * 13) % 900,
            TokensIn = n % 6 == 0 ? null : n % 300,
            TokensOut = n % 77,
            Cost = n % 8 == 0 ? null : ((n % 97) * 1.1e-6) + (n * 1e-9),
            TeamId = team,
            TeamName = team is null ? null : (n < RowsA / 2 ? "Old " : "New ") + team,
        };
    }
}
