using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>Filtered lists over the store, which skips blocks by their summaries and counts from the kept sums, give the
/// page and total that the same query gives over the same rows in a list, which reads every row.</summary>
public sealed class LogBlockFilterTests : IDisposable
{
    private const long Base = 1_700_000_000_000;
    private const int Rows = 4_000; // 16 blocks of 256

    private static readonly string[] Queries =
    [
        F("model", "eq", "m1"),
        F("model", "eq", "rare-model"),
        F("model", "eq", "absent"),
        F("model", "neq", "m1") + "&page=3",
        F("provider", "eq", "groq") + "&per_page=100&page=2",
        F("success", "eq", "false"),
        F("success", "eq", "false") + "&" + F("model", "eq", "m2") + "&order_by=created_at&order_by_direction=asc",
        F("cached", "eq", "true") + "&meta_info=true",
        F("team_id", "eq", "t1") + "&" + F("model", "eq", "rare-model"),
        F("metadata.key", "eq", "tenant"),
        F("metadata.value", "eq", "tenant-2"),
        F("metadata.value", "eq", "tenant-2") + "&" + F("success", "eq", "true"),
        F("duration", "gt", "4990"),
        F("duration", "lt", "10") + "&order_by=model",
        F("created_at", "gt", (Base + 99_999).ToString()) + "&" + F("created_at", "lt", (Base + 2_000_000).ToString()) + "&" + F("model", "eq", "m3"),
        F("created_at", "lt", (Base + 50_000).ToString()),
        F("model", "eq", "m1") + "&search=g-0001",
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FilteredLists_SkippingBlocksAndCountingFromSums_MatchAFullRead()
    {
        await using var store = FasterLogStore.Open(_dir.Path, Options());
        for (var n = 0; n < Rows; n++)
        {
            await store.AppendAsync(Entry(Record(n)), default);
        }

        await store.FlushAsync(default);
        AssertSameAsFullRead(store, "filled");

        // The rare model and tenant are in one block of 16: the others are not read.
        var scan = (LogRowScan)store.Scan("g");
        Assert.Equal(1, Enumerable.Range(0, scan.BlockCount).Count(b => scan.MayMatch(b, Parse(F("metadata.value", "eq", "tenant-2")).Filters)));
        Assert.True(Enumerable.Range(0, scan.BlockCount).Count(b => scan.MayMatch(b, Parse(F("model", "eq", "rare-model")).Filters)) < scan.BlockCount / 2);

        // Deleted rows leave their values in the summaries (still read, never wrongly skipped); a PATCH adds its values.
        await store.DeleteAsync(Enumerable.Range(0, Rows).Where(n => n % 7 == 0 || Record(n).Model == "rare-model").Select(n => $"g-{n:D6}").ToList());
        await store.UpdateAsync("g-000003", r => r with { Model = "rare-model", Success = false });
        await store.UpdateAsync("g-003999", r => r with { Metadata = """{"tenant":"tenant-2"}""" });
        AssertSameAsFullRead(store, "changed");
        Assert.Equal(["g-000003"], LogQueryEngine.List(store.Scan("g"), Parse(F("model", "eq", "rare-model"))).Rows.Select(r => r.Id));
    }

    private static void AssertSameAsFullRead(FasterLogStore store, string step)
    {
        foreach (var text in Queries)
        {
            var query = Parse(text);
            var all = store.Scan("g").ToList();
            var expected = LogQueryEngine.List(all, query);
            var actual = LogQueryEngine.List(store.Scan("g"), query);
            Assert.True(expected.Rows.Select(r => r.Id).SequenceEqual(actual.Rows.Select(r => r.Id)), $"{step}: {text}");
            Assert.Equal(expected.Rows, actual.Rows);
            Assert.True(expected.TotalCount == actual.TotalCount, $"{step}: {text}: {expected.TotalCount} vs {actual.TotalCount}");
            Assert.Equal(expected.Stats, actual.Stats);
        }
    }

    private static string F(string key, string op, string value) => $"filters.key={key}&filters.operator={op}&filters.value={value}";

    private static LogQuery Parse(string text)
    {
        Assert.True(LogQueryParser.TryParse("?" + text, LogQueryMode.List, out var query, out var errors), string.Join("; ", errors.Select(e => e.Message)));
        return query;
    }

    /// <summary>Rows one a second; a rare model in rows 1,000–1,019 and a tenant only in rows 2,000–2,199.</summary>
    private static LogRecord Record(int n) => Row("g", n, Base + (n * 1_000L)) with
    {
        Provider = ((string[])["openai", "anthropic", "groq"])[n % 3],
        Model = n is >= 1_000 and < 1_020 ? "rare-model" : "m" + (n % 4),
        Success = n % 9 != 0,
        Cached = n % 5 == 0,
        Duration = (n * 37) % 5_000,
        TeamId = n % 2 == 0 ? "t0" : "t1",
        Metadata = n is >= 2_000 and < 2_200 ? """{"tenant":"tenant-2"}""" : """{"tenant":"tenant-1"}""",
    };
}
