using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Tests.LogQueries;

public sealed class LogQueryParserTests
{
    private static LogQuery Parse(string query, LogQueryMode mode = LogQueryMode.List)
    {
        Assert.True(LogQueryParser.TryParse(query, mode, out var parsed, out var errors), string.Join("; ", errors));
        return parsed;
    }

    private static LogQueryError SingleError(string query, LogQueryMode mode = LogQueryMode.List)
    {
        Assert.False(LogQueryParser.TryParse(query, mode, out _, out var errors));
        return Assert.Single(errors);
    }

    [Fact]
    public void Defaults_AreCreatedAtDescPageOneOfTwenty()
    {
        var query = Parse("");
        Assert.Equal((LogOrderKey.CreatedAt, true, 1, 20, false, null), (query.OrderBy, query.Descending, query.Page, query.PerPage, query.MetaInfo, query.Search));
        Assert.Empty(query.Filters);
    }

    [Fact]
    public void DottedSdkFormat_OpensAFilterAtEachKey()
    {
        // The spec's example, as both SDKs send it (dots + repeated keys), with a second value on the first filter.
        var query = Parse("?filters.key=provider&filters.operator=eq&filters.value=openai&filters.value=anthropic"
            + "&filters.key=cost&filters.operator=gt&filters.value=0.01");

        Assert.Equal(2, query.Filters.Count);
        Assert.Equal(LogFilterKey.Provider, query.Filters[0].Key);
        Assert.Equal(["openai", "anthropic"], query.Filters[0].Values.Select(v => v.Text));
        Assert.Equal((LogFilterKey.Cost, LogFilterOperator.Gt, 0.01), (query.Filters[1].Key, query.Filters[1].Operator, query.Filters[1].Values[0].Number));
    }

    [Fact]
    public void DottedSdkFormat_DecodesPercentAndPlus()
    {
        var query = Parse("filters.key=metadata.value&filters.operator=eq&filters.value=a+b%26c");
        Assert.Equal("a b&c", query.Filters[0].Values[0].Text);
    }

    [Fact]
    public void DottedSdkFormat_EmptyValueIsNull()
    {
        var query = Parse("filters.key=cost&filters.operator=eq&filters.value=");
        Assert.True(query.Filters[0].Values[0].IsNull);
    }

    [Fact]
    public void IndexedFormat_GroupsByIndex()
    {
        var query = Parse("filters%5B1%5D%5Bkey%5D=success&filters[1][operator]=eq&filters[1][value][]=true"
            + "&filters[0][key]=model&filters[0][operator]=contains&filters[0][value][0]=gpt&filters[0][value][1]=claude");
        Assert.Equal([LogFilterKey.Model, LogFilterKey.Success], query.Filters.Select(f => f.Key));
        Assert.Equal(2, query.Filters[0].Values.Count);
        Assert.True(query.Filters[1].Values[0].Boolean);
    }

    [Fact]
    public void JsonFormat_KeepsTypedValues()
    {
        var json = """[{"key":"tokens_in","operator":"lt","value":[100]},{"key":"success","operator":"eq","value":false}]""";
        var query = Parse("filters=" + Uri.EscapeDataString(json));
        Assert.Equal(100, query.Filters[0].Values[0].Number);
        Assert.False(query.Filters[1].Values[0].Boolean);
        Assert.Equal(LogFilterValueKind.Boolean, query.Filters[1].Values[0].Kind);
    }

    [Fact]
    public void MissingOperator_MeansEq()
        => Assert.Equal(LogFilterOperator.Eq, Parse("filters.key=provider&filters.value=openai").Filters[0].Operator);

    [Theory]
    [InlineData("filters.key=nope&filters.operator=eq&filters.value=1", "filters[0].key")]
    [InlineData("filters.key=provider&filters.operator=like&filters.value=a", "filters[0].operator")]
    [InlineData("filters.key=cost&filters.operator=contains&filters.value=1", "filters[0].operator")]
    [InlineData("filters.key=provider&filters.operator=gt&filters.value=a", "filters[0].operator")]
    [InlineData("filters.key=success&filters.operator=lt&filters.value=true", "filters[0].operator")]
    [InlineData("filters.key=cost&filters.operator=gt&filters.value=cheap", "filters[0].value")]
    [InlineData("filters.key=success&filters.operator=eq&filters.value=maybe", "filters[0].value")]
    [InlineData("filters.key=created_at&filters.operator=gt&filters.value=yesterday", "filters[0].value")]
    [InlineData("filters.key=cost&filters.operator=gt&filters.value=", "filters[0].value")]
    [InlineData("filters.key=provider&filters.operator=eq", "filters[0].value")]
    [InlineData("filters.operator=eq", "filters")]
    [InlineData("filters[0][colour]=red", "filters[0][colour]")]
    [InlineData("filters=not-json", "filters")]
    [InlineData("filters=%5B%7B%22key%22%3A%22cost%22%2C%22operator%22%3A%22gt%22%2C%22value%22%3A%5Btrue%5D%7D%5D", "filters[0].value")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("per_page=-1", "per_page")]
    [InlineData("order_by=cost", "order_by")]
    [InlineData("order_by_direction=up", "order_by_direction")]
    [InlineData("direction=up", "direction")]
    [InlineData("meta_info=perhaps", "meta_info")]
    [InlineData("success=yes", "success")]
    [InlineData("start_date=soon", "start_date")]
    [InlineData("min_cost=free", "min_cost")]
    public void BadField_IsReportedWithItsPath(string query, string path)
        => Assert.Equal(path, SingleError(query).Path);

    [Fact]
    public void Paging_ClampsPerPageToOneHundred()
    {
        var query = Parse("page=3&per_page=500");
        Assert.Equal((3, 100), (query.Page, query.PerPage));
    }

    [Theory]
    [InlineData("order_by=model&order_by_direction=asc", LogOrderKey.Model, false)]
    [InlineData("order_by=cached&direction=asc", LogOrderKey.Cached, false)]
    [InlineData("direction=asc&order_by_direction=desc", LogOrderKey.CreatedAt, true)]
    public void Ordering_ReadsKeyAndDirection(string text, LogOrderKey key, bool descending)
    {
        var query = Parse(text);
        Assert.Equal((key, descending), (query.OrderBy, query.Descending));
    }

    [Fact]
    public void DeleteMode_TakesLimitAndNumericOrderKeys()
    {
        var query = Parse("limit=5&order_by=cost&order_by_direction=asc&filters.key=success&filters.operator=eq&filters.value=false", LogQueryMode.Delete);
        Assert.Equal((5, LogOrderKey.Cost, false, 1), (query.Limit, query.OrderBy, query.Descending, query.Filters.Count));
        Assert.Equal("limit", SingleError("limit=0", LogQueryMode.Delete).Path);
    }

    [Fact]
    public void DeleteMode_IgnoresListOnlyParams()
    {
        var query = Parse("page=x&provider=openai&search=abc", LogQueryMode.Delete);
        Assert.Empty(query.Filters);
        Assert.Null(query.Search);
    }

    [Theory]
    [InlineData("start_date=2025-01-02T00:00:00Z", "01B,01C")]
    [InlineData("end_date=2025-01-02T00:00:00Z", "01A,01B")]
    [InlineData("success=false", "01B")]
    [InlineData("cached=true", "01C")]
    [InlineData("feedback=1", "01A")]
    [InlineData("model=gpt-4o", "01A")]
    [InlineData("model_type=embedding", "01C")]
    [InlineData("provider=openai", "01A,01C")]
    [InlineData("request_content_type=application%2Fjson", "01A,01B,01C")]
    [InlineData("response_content_type=text/event-stream", "01A")]
    [InlineData("min_cost=0.01", "01A")]
    [InlineData("max_cost=0.005", "01C")]
    [InlineData("min_duration=100", "01A,01B")]
    [InlineData("max_duration=100", "01A,01C")]
    [InlineData("min_tokens_in=10", "01A")]
    [InlineData("max_tokens_in=7", "01C")]
    [InlineData("min_tokens_out=1", "01A")]
    [InlineData("max_tokens_out=0", "01C")]
    [InlineData("min_total_tokens=30", "01A")]
    [InlineData("max_total_tokens=29", "01C")]
    [InlineData("provider=openai&cached=false", "01A")]
    public void DeprecatedParams_BecomeFilters(string text, string expected)
    {
        var query = Parse(text);
        var ids = LogRows.All.Where(r => LogQueryEngine.Matches(r, query)).Select(r => r.Id).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(',', ids));
    }

    [Fact]
    public void UnknownTopLevelParams_AreIgnored() => Assert.Empty(Parse("account_id=x&foo=bar").Filters);
}
