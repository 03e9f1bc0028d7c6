using System.Text;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>A store whose rows' metadata is several times its memory budget: every query answers what the same query
/// answers over the same rows held in a list.</summary>
public sealed class LogStoreBeyondMemoryTests(LogStoreBeyondMemoryTests.FilledStore filled) : IClassFixture<LogStoreBeyondMemoryTests.FilledStore>, IDisposable
{
    private const int Rows = 24_000; // ~6 MB of metadata: three times the 2 MiB budget below
    private const int MetadataBudgetBits = 21;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("?page=7&per_page=50")]
    [InlineData("?page=480&per_page=50")]
    [InlineData("?order_by=created_at&order_by_direction=asc&per_page=100")]
    [InlineData("?order_by=model&order_by_direction=desc&page=2")]
    [InlineData("?filters.key=model&filters.operator=eq&filters.value=gpt-4o&filters.key=success&filters.operator=eq&filters.value=false")]
    [InlineData("?filters.key=created_at&filters.operator=lt&filters.value=1700000050000&meta_info=true")]
    [InlineData("?search=g-0012&per_page=100")]
    public void List_OverMoreRowsThanTheMemoryBudget_MatchesTheSameQueryOverAList(string queryString)
    {
        var store = filled.Store;
        Assert.True(LogQueryParser.TryParse(queryString, LogQueryMode.List, out var query, out _));
        var expected = LogQueryEngine.List(filled.Reference, query);

        Assert.True(store.MetadataBytes > 2L << MetadataBudgetBits, $"{store.MetadataBytes} bytes of metadata");
        AssertSamePage(expected, LogQueryEngine.List(store.Scan("g"), query));
    }

    [Fact]
    public async Task GetBodiesAnalyticsAndDeletes_OverMoreRowsThanTheMemoryBudget_AreRight()
    {
        var reference = await FillAsync(_dir.Path);
        await using var store = FasterLogStore.Open(_dir.Path, BudgetOptions());

        // Rows from the oldest blocks, long out of memory: by id, with their bodies.
        Assert.True(store.TryGet("g-000003", out var old));
        Assert.Equal(Record(3), old);
        var body = await store.ReadBodyAsync("g-000003", LogBodyKind.Response, default);
        Assert.Equal("data: 3\n\n", Encoding.UTF8.GetString(body!.Value.Span));

        // Analytics over a range in the middle: the same groups and sums as over the list.
        var analytics = ParseAnalytics("start=1700000100000&end=1700000150000&group_by=model,success&bucket=minute");
        Assert.Equal(Describe(LogAnalytics.Aggregate(reference, analytics)), Describe(LogAnalytics.Aggregate(store.Scan("g"), analytics)));

        // A DELETE by filter, a PATCH of an old row: then the list still matches the list's answer.
        Assert.True(LogQueryParser.TryParse("?filters.key=model&filters.operator=eq&filters.value=gpt-4o&limit=500", LogQueryMode.Delete, out var delete, out _));
        var doomed = LogQueryEngine.SelectForDelete(store.Scan("g"), delete);
        Assert.Equal(LogQueryEngine.SelectForDelete(reference, delete).Select(r => r.Id), doomed.Select(r => r.Id));
        Assert.Equal(500, await store.DeleteAsync(doomed.ConvertAll(r => r.Id)));
        Assert.NotNull(await store.UpdateAsync("g-000010", r => r with { Feedback = 1 }));
        var gone = doomed.Select(r => r.Id).ToHashSet();
        reference = reference.Where(r => !gone.Contains(r.Id)).Select(r => r.Id == "g-000010" ? r with { Feedback = 1 } : r).ToList();

        var page = new LogQuery { PerPage = 100, Page = 3 };
        AssertSamePage(LogQueryEngine.List(reference, page), LogQueryEngine.List(store.Scan("g"), page));
        var byFeedback = new LogQuery { Filters = [new LogFilter(LogFilterKey.Feedback, LogFilterOperator.Eq, [LogFilterValue.Of(1d)])] };
        Assert.Equal(["g-000010"], LogQueryEngine.List(store.Scan("g"), byFeedback).Rows.Select(r => r.Id));
        Assert.Equal(Rows - 500, store.Scan("g").Count());
        Assert.False(store.TryGet(doomed[0].Id, out _));

        // Reopened, the store rebuilds the same answers from the log.
        await store.DisposeAsync();
        await using var reopened = FasterLogStore.Open(_dir.Path, BudgetOptions());
        AssertSamePage(LogQueryEngine.List(reference, page), LogQueryEngine.List(reopened.Scan("g"), page));
        Assert.True(reopened.TryGet("g-000010", out var patched));
        Assert.Equal(1, patched.Feedback);
    }

    private static FasterLogStoreOptions BudgetOptions() => new()
    {
        CommitIntervalMs = 5,
        PageSizeBits = 16,
        MemorySizeBits = 18,
        SegmentSizeBits = 20,
        IndexSizeBits = 14,
        IndexMemorySizeBits = 16,
        MetadataMemorySizeBits = MetadataBudgetBits,
    };

    /// <summary>Rows whose created_at wanders ±30 ms around append order (long requests finish after short ones), in a
    /// store, and the same records newest first in a list.</summary>
    private static async Task<List<LogRecord>> FillAsync(string directory)
    {
        await using var store = FasterLogStore.Open(directory, BudgetOptions());
        await AppendAllAsync(store);
        return Reference();
    }

    private static async Task AppendAllAsync(FasterLogStore store)
    {
        for (var n = 0; n < Rows; n++)
        {
            await store.AppendAsync(Entry(Record(n), "{\"n\":" + n + "}", "data: " + n + "\n\n"), default);
        }

        await store.FlushAsync(default);
    }

    private static List<LogRecord> Reference() => Enumerable.Range(0, Rows).Reverse().Select(Record).ToList();

    private static LogRecord Record(int n) => Row("g", n, 1_700_000_000_000 + (n * 10L) + ((n * 7_919L) % 61) - 30) with
    {
        Model = n % 3 == 0 ? "gpt-4o" : "gpt-4o-mini",
        Success = n % 7 != 0,
        Duration = (n * 31) % 1_000,
    };

    private static LogAnalyticsQuery ParseAnalytics(string text)
    {
        Assert.True(LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out var query, out _));
        return query;
    }

    private static List<string> Describe(List<LogAnalyticsGroup> groups) => groups.ConvertAll(g =>
        $"{string.Join(',', g.Keys.Select(k => k.Value))} {g.BucketStartUnixMs} {g.Requests} {g.Errors} {g.Cost} {g.LatencyP50} {g.LatencyP99}");

    private static void AssertSamePage(LogPage expected, LogPage actual)
    {
        Assert.Equal(expected.Rows.Select(r => r.Id), actual.Rows.Select(r => r.Id));
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(expected.Stats, actual.Stats);
    }

    /// <summary>One filled store for the read-only list cases (filling it is most of their time).</summary>
    public sealed class FilledStore : IAsyncLifetime
    {
        private readonly TempDirectory _dir = new();

        public List<LogRecord> Reference { get; } = LogStoreBeyondMemoryTests.Reference();

        public FasterLogStore Store { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Store = FasterLogStore.Open(_dir.Path, BudgetOptions());
            await AppendAllAsync(Store);
        }

        public async Task DisposeAsync()
        {
            await Store.DisposeAsync();
            _dir.Dispose();
        }
    }
}
