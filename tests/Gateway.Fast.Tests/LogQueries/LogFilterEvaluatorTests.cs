using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Tests.LogQueries;

public sealed class LogFilterEvaluatorTests
{
    // key, operator, JSON value array, ids that match (sorted). Every key × each operator it takes.
    [Theory]
    [InlineData("id", "eq", """["01A","01C"]""", "01A,01C")]
    [InlineData("id", "neq", """["01A"]""", "01B,01C")]
    [InlineData("id", "contains", """["1b"]""", "01B")]
    [InlineData("created_at", "eq", """["2025-01-02T00:00:00Z"]""", "01B")]
    [InlineData("created_at", "neq", """["2025-01-02T00:00:00Z"]""", "01A,01C")]
    [InlineData("created_at", "gt", """["2025-01-01T12:00:00Z"]""", "01B,01C")]
    [InlineData("created_at", "lt", """["2025-01-02T00:00:00+00:00"]""", "01A")]
    [InlineData("created_at", "lt", """[1735776000000]""", "01A")]
    [InlineData("request_content_type", "eq", """["application/json"]""", "01A,01B,01C")]
    [InlineData("request_content_type", "contains", """["JSON"]""", "01A,01B,01C")]
    [InlineData("response_content_type", "eq", """["text/event-stream"]""", "01A")]
    [InlineData("response_content_type", "neq", """["text/event-stream"]""", "01B,01C")]
    [InlineData("response_content_type", "contains", """["event"]""", "01A")]
    [InlineData("request_type", "eq", """["compat","universal"]""", "01B,01C")]
    [InlineData("request_type", "neq", """["provider"]""", "01B,01C")]
    [InlineData("request_type", "contains", """["uni"]""", "01C")]
    [InlineData("success", "eq", """[true]""", "01A,01C")]
    [InlineData("success", "eq", """["false"]""", "01B")]
    [InlineData("success", "neq", """[true]""", "01B")]
    [InlineData("cached", "eq", """[true]""", "01C")]
    [InlineData("cached", "neq", """[true]""", "01A,01B")]
    [InlineData("provider", "eq", """["openai"]""", "01A,01C")]
    [InlineData("provider", "neq", """["openai"]""", "01B")]
    [InlineData("provider", "contains", """["THROP"]""", "01B")]
    [InlineData("model", "eq", """["gpt-4o","claude-3"]""", "01A,01B")]
    [InlineData("model", "neq", """["gpt-4o","claude-3"]""", "01C")]
    [InlineData("model", "contains", """["embed"]""", "01C")]
    [InlineData("model_type", "eq", """["chat"]""", "01A,01B")]
    [InlineData("model_type", "neq", """["chat"]""", "01C")]
    [InlineData("model_type", "contains", """["emb"]""", "01C")]
    [InlineData("cost", "eq", """[0]""", "01C")]
    [InlineData("cost", "eq", """[null]""", "01B")]
    [InlineData("cost", "neq", """[null]""", "01A,01C")]
    [InlineData("cost", "gt", """[0.005]""", "01A")]
    [InlineData("cost", "lt", """["0.005"]""", "01C")]
    [InlineData("tokens", "eq", """[30]""", "01A")]
    [InlineData("tokens", "gt", """[7]""", "01A")]
    [InlineData("tokens", "lt", """[8]""", "01C")]
    [InlineData("tokens", "neq", """[30]""", "01B,01C")]
    [InlineData("tokens_in", "eq", """[7]""", "01C")]
    [InlineData("tokens_in", "gt", """[7]""", "01A")]
    [InlineData("tokens_in", "lt", """[10]""", "01C")]
    [InlineData("tokens_in", "neq", """[7]""", "01A,01B")]
    [InlineData("tokens_out", "eq", """[20]""", "01A")]
    [InlineData("tokens_out", "lt", """[1]""", "01C")]
    [InlineData("tokens_out", "gt", """[1]""", "01A")]
    [InlineData("tokens_out", "neq", """[0, 20]""", "01B")]
    [InlineData("duration", "eq", """[300]""", "01B")]
    [InlineData("duration", "gt", """[50]""", "01A,01B")]
    [InlineData("duration", "lt", """[100, 6]""", "01C")]
    [InlineData("duration", "neq", """[5]""", "01A,01B")]
    [InlineData("feedback", "eq", """[-1]""", "01B")]
    [InlineData("feedback", "eq", """[0, 1]""", "01A,01C")]
    [InlineData("feedback", "gt", """[0]""", "01A")]
    [InlineData("feedback", "lt", """[1]""", "01B,01C")]
    [InlineData("feedback", "neq", """[0]""", "01A,01B")]
    [InlineData("event_id", "eq", """["ev-1"]""", "01A")]
    [InlineData("event_id", "eq", """[null]""", "01B")]
    [InlineData("event_id", "neq", """[null]""", "01A,01C")]
    [InlineData("event_id", "contains", """["ev-"]""", "01A,01C")]
    [InlineData("metadata.key", "eq", """["tier"]""", "01A")]
    [InlineData("metadata.key", "neq", """["tier"]""", "01B,01C")]
    [InlineData("metadata.key", "contains", """["US"]""", "01A,01C")]
    [InlineData("metadata.value", "eq", """["bob"]""", "01C")]
    [InlineData("metadata.value", "eq", """[3]""", "01A")]
    [InlineData("metadata.value", "neq", """["bob"]""", "01A,01B")]
    [InlineData("metadata.value", "contains", """["LIC"]""", "01A")]
    [InlineData("metadata.value", "gt", """[2]""", "01A")]
    [InlineData("metadata.value", "lt", """[4]""", "01A")]
    [InlineData("authentication", "eq", """[true]""", "01A,01C")]
    [InlineData("authentication", "neq", """[true]""", "01B")]
    [InlineData("wholesale", "eq", """[false]""", "01A,01B,01C")]
    [InlineData("wholesale", "neq", """[false]""", "")]
    [InlineData("compatibilityMode", "eq", """[true]""", "01B")]
    [InlineData("compatibilityMode", "neq", """[true]""", "01A,01C")]
    [InlineData("dlp_action", "eq", """["BLOCK","FLAG"]""", "01B,01C")]
    [InlineData("dlp_action", "eq", """[null]""", "01A")]
    [InlineData("dlp_action", "neq", """["BLOCK"]""", "01A,01C")]
    [InlineData("dlp_action", "contains", """["lag"]""", "01C")]
    [InlineData("user_agent", "eq", """["curl/8"]""", "01B")]
    [InlineData("user_agent", "neq", """["curl/8"]""", "01A,01C")]
    [InlineData("user_agent", "contains", """["SDK"]""", "01A")]
    [InlineData("team_id", "eq", """["t-red"]""", "01A,01C")]
    [InlineData("team_id", "eq", """[null]""", "01B")]
    [InlineData("team_id", "neq", """["t-red"]""", "01B")]
    [InlineData("team_id", "contains", """["RED"]""", "01A,01C")]
    [InlineData("team_name", "eq", """["Red"]""", "01A")]
    [InlineData("team_name", "neq", """["Red"]""", "01B,01C")]
    [InlineData("team_name", "contains", """["team"]""", "01C")]
    [InlineData("session_id", "eq", """["abc-123"]""", "01A")]
    [InlineData("session_id", "neq", """["abc-123", null]""", "01B")]
    [InlineData("session_id", "contains", """["-"]""", "01A,01B")]
    [InlineData("guardrail_flags", "eq", """["custom:pii"]""", "01B")]
    [InlineData("guardrail_flags", "neq", """[null]""", "01A,01B")]
    [InlineData("guardrail_flags", "contains", """["s11"]""", "01A")]
    public void Filter_MatchesExpectedRows(string key, string op, string valuesJson, string expected)
    {
        var json = $$"""[{"key":"{{key}}","operator":"{{op}}","value":{{valuesJson}}}]""";
        Assert.True(LogQueryParser.TryParse("filters=" + Uri.EscapeDataString(json), LogQueryMode.List, out var query, out var errors), string.Join("; ", errors));

        var ids = LogRows.All.Where(r => LogFilterEvaluator.Matches(r, query.Filters)).Select(r => r.Id).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(',', ids));
    }

    [Fact]
    public void EveryKey_IsCoveredByTheTable()
    {
        var covered = typeof(LogFilterEvaluatorTests).GetMethod(nameof(Filter_MatchesExpectedRows))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();
        Assert.All(LogFilterKeys.All, k => Assert.Contains(LogFilterKeys.WireName(k), covered));
    }

    [Fact]
    public void Filters_CombineWithAnd()
    {
        var filters = new[]
        {
            new LogFilter(LogFilterKey.Provider, LogFilterOperator.Eq, LogFilterValue.Of("openai")),
            new LogFilter(LogFilterKey.Cached, LogFilterOperator.Eq, LogFilterValue.Of(true)),
        };
        Assert.Equal(["01C"], LogRows.All.Where(r => LogFilterEvaluator.Matches(r, filters)).Select(r => r.Id));
    }

    [Fact]
    public void NullNumber_IsNeitherLessNorGreater()
    {
        Assert.False(LogFilterEvaluator.Matches(LogRows.B, new LogFilter(LogFilterKey.Cost, LogFilterOperator.Lt, LogFilterValue.Of(1.0))));
        Assert.False(LogFilterEvaluator.Matches(LogRows.B, new LogFilter(LogFilterKey.Cost, LogFilterOperator.Gt, LogFilterValue.Of(-1.0))));
    }

    [Fact]
    public void MalformedMetadata_MatchesNoMetadataFilter()
    {
        var row = LogRows.A with { Metadata = "not json" };
        Assert.False(LogFilterEvaluator.Matches(row, new LogFilter(LogFilterKey.MetadataKey, LogFilterOperator.Contains, LogFilterValue.Of("n"))));
    }

    [Theory]
    [InlineData("gpt", "01A")]
    [InlineData("ALICE", "01A")]
    [InlineData("ev-2", "01C")]
    [InlineData("messages", "01B")]
    [InlineData("01", "01A,01B,01C")]
    [InlineData("nothing", "")]
    public void Search_IsSubstringOfIdProviderModelPathMetadataEventId(string search, string expected)
        => Assert.Equal(expected, string.Join(',', LogRows.All.Where(r => LogSearch.Matches(r, search)).Select(r => r.Id).Order(StringComparer.Ordinal)));
}
