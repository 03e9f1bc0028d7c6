using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Tests.LogQueries;

public sealed class LogQueryEngineTests
{
    private static IEnumerable<LogRecord> Many(int count) => Enumerable.Range(0, count).Select(i => LogRows.A with
    {
        Id = $"R{i:D3}",
        CreatedAtUnixMs = 1_000 + i,
        Cost = i,
        Duration = 10 * i,
    });

    [Fact]
    public void List_DefaultsToNewestFirst()
    {
        var page = LogQueryEngine.List(LogRows.All.Reverse(), new LogQuery());
        Assert.Equal(["01C", "01B", "01A"], page.Rows.Select(r => r.Id));
        Assert.Equal(3, page.TotalCount);
        Assert.Null(page.Stats);
    }

    [Theory]
    [InlineData(1, 20, 20, "R044")]
    [InlineData(2, 20, 20, "R024")]
    [InlineData(3, 20, 5, "R004")]
    [InlineData(4, 20, 0, null)]
    [InlineData(100, 20, 0, null)]
    [InlineData(1, 100, 45, "R044")]
    [InlineData(45, 1, 1, "R000")]
    public void List_PagesWithStableTotal(int pageNumber, int perPage, int count, string? first)
    {
        var page = LogQueryEngine.List(Many(45), new LogQuery { Page = pageNumber, PerPage = perPage });
        Assert.Equal(count, page.Rows.Count);
        Assert.Equal(45, page.TotalCount);
        Assert.Equal(first, page.Rows.FirstOrDefault()?.Id);
    }

    [Fact]
    public void List_EmptyStore_IsAnEmptyPage()
    {
        var page = LogQueryEngine.List([], new LogQuery { MetaInfo = true });
        Assert.Empty(page.Rows);
        Assert.Equal(0, page.TotalCount);
        Assert.Null(page.Stats!.Value.Cost.Min);
    }

    [Theory]
    [InlineData(LogOrderKey.Provider, false, "01B,01A,01C")]
    [InlineData(LogOrderKey.Provider, true, "01C,01A,01B")]
    [InlineData(LogOrderKey.Model, false, "01B,01A,01C")]
    [InlineData(LogOrderKey.ModelType, true, "01C,01B,01A")]
    [InlineData(LogOrderKey.Success, false, "01B,01A,01C")]
    [InlineData(LogOrderKey.Cached, true, "01C,01B,01A")]
    [InlineData(LogOrderKey.CreatedAt, false, "01A,01B,01C")]
    [InlineData(LogOrderKey.Cost, false, "01B,01C,01A")]
    [InlineData(LogOrderKey.TokensIn, true, "01A,01C,01B")]
    [InlineData(LogOrderKey.TokensOut, false, "01B,01C,01A")]
    [InlineData(LogOrderKey.Duration, false, "01C,01A,01B")]
    [InlineData(LogOrderKey.Feedback, true, "01A,01C,01B")]
    public void Ordering_SortsByKeyThenCreatedAt(LogOrderKey key, bool descending, string expected)
    {
        var rows = LogRows.All.ToList();
        LogOrdering.Sort(rows, key, descending);
        Assert.Equal(expected, string.Join(',', rows.Select(r => r.Id)));
    }

    [Fact]
    public void MetaInfo_SpansAllMatchesNotThePage()
    {
        var page = LogQueryEngine.List(LogRows.All, new LogQuery { MetaInfo = true, PerPage = 1 });
        var stats = page.Stats!.Value;
        Assert.Equal((0, 0.01), (stats.Cost.Min!.Value, stats.Cost.Max!.Value));
        Assert.Equal((5, 300), (stats.Duration.Min!.Value, stats.Duration.Max!.Value));
        Assert.Equal((7, 10), (stats.TokensIn.Min!.Value, stats.TokensIn.Max!.Value));
        Assert.Equal((0, 20), (stats.TokensOut.Min!.Value, stats.TokensOut.Max!.Value));
        Assert.Equal((7, 30), (stats.TotalTokens.Min!.Value, stats.TotalTokens.Max!.Value));
        Assert.Equal(["cost", "duration", "tokens_in", "tokens_out", "total_tokens"], stats.Columns().Select(c => c.Name));
    }

    [Fact]
    public void Search_AndFilters_BothApply()
    {
        var query = new LogQuery
        {
            Search = "openai",
            Filters = [new LogFilter(LogFilterKey.ModelType, LogFilterOperator.Eq, LogFilterValue.Of("chat"))],
        };
        Assert.Equal(["01A"], LogQueryEngine.List(LogRows.All, query).Rows.Select(r => r.Id));
    }

    [Fact]
    public void SelectForDelete_OrdersThenLimits()
    {
        var query = new LogQuery { OrderBy = LogOrderKey.Cost, Descending = true, Limit = 2 };
        Assert.Equal(["R044", "R043"], LogQueryEngine.SelectForDelete(Many(45), query).Select(r => r.Id));
        Assert.Equal(45, LogQueryEngine.SelectForDelete(Many(45), new LogQuery()).Count);
    }

    [Fact]
    public void QueryStringReader_KeepsWireOrderAndRepeats()
    {
        var pairs = QueryStringReader.Read("?a=1&b&&a=2&c=%3D");
        Assert.Equal(["a=1", "b=", "a=2", "c=="], pairs.Select(p => $"{p.Key}={p.Value}"));
    }
}
