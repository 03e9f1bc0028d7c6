using System.Net;
using System.Text.Json;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.LogQueries;

namespace Gateway.Fast.Tests.Management;

public sealed class LogsApiTests : IClassFixture<LogsTestHost>
{
    private const string V4 = "/client/v4/accounts/acct/ai-gateway/gateways";

    private readonly LogsTestHost _host;

    public LogsApiTests(LogsTestHost host)
    {
        _host = host;

        // Rows A, B, C on gw (A with both bodies, B with none); a stranger row on gw-del; idempotent across tests.
        host.Store.Add(LogRows.A, request: """{"model":"gpt-4o"}""", response: "data: {}\n\n");
        host.Store.Add(LogRows.B);
        host.Store.Add(LogRows.C, request: new string('é', 3000), response: null);
    }

    private static string[] Ids(V4Response response) => response.Result.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task List_ReturnsSdkRowsNewestFirstWithResultInfo()
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["01C", "01B", "01A"], Ids(response));
        var info = response.Root.GetProperty("result_info");
        Assert.Equal((1, 20, 3, 3), (info.GetProperty("page").GetInt32(), info.GetProperty("per_page").GetInt32(), info.GetProperty("count").GetInt32(), info.GetProperty("total_count").GetInt32()));

        var a = response.Result[2];
        Assert.Equal(["id", "cached", "created_at", "duration", "model", "path", "provider", "success", "tokens_in", "tokens_out"],
            a.EnumerateObject().Take(10).Select(p => p.Name));
        Assert.Equal("2025-01-01T00:00:00.000Z", a.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.String, a.GetProperty("metadata").ValueKind);
        Assert.Equal("alice", JsonDocument.Parse(a.GetProperty("metadata").GetString()!).RootElement.GetProperty("user").GetString());
        Assert.Equal(("ev-1", 1, 200, 0, "provider", "chat"), (a.GetProperty("event_id").GetString(), a.GetProperty("feedback").GetInt32(),
            a.GetProperty("status_code").GetInt32(), a.GetProperty("step").GetInt32(), a.GetProperty("request_type").GetString(), a.GetProperty("model_type").GetString()));
        Assert.Equal(JsonValueKind.Null, response.Result[1].GetProperty("tokens_in").ValueKind);
        Assert.False(response.Result[1].TryGetProperty("cost", out _));
    }

    // Every filter key once over HTTP, in the dotted format both SDKs send.
    [Theory]
    [InlineData("id", "eq", "01B", "01B")]
    [InlineData("created_at", "gt", "2025-01-01T12:00:00Z", "01C,01B")]
    [InlineData("request_content_type", "contains", "json", "01C,01B,01A")]
    [InlineData("response_content_type", "eq", "text/event-stream", "01A")]
    [InlineData("request_type", "eq", "universal", "01C")]
    [InlineData("success", "eq", "false", "01B")]
    [InlineData("cached", "eq", "true", "01C")]
    [InlineData("provider", "eq", "openai", "01C,01A")]
    [InlineData("model", "contains", "GPT", "01A")]
    [InlineData("model_type", "neq", "chat", "01C")]
    [InlineData("cost", "gt", "0.005", "01A")]
    [InlineData("tokens", "lt", "8", "01C")]
    [InlineData("tokens_in", "gt", "7", "01A")]
    [InlineData("tokens_out", "eq", "20", "01A")]
    [InlineData("duration", "lt", "50", "01C")]
    [InlineData("feedback", "eq", "-1", "01B")]
    [InlineData("event_id", "eq", "ev-2", "01C")]
    [InlineData("metadata.key", "eq", "tier", "01A")]
    [InlineData("metadata.value", "eq", "bob", "01C")]
    [InlineData("authentication", "eq", "false", "01B")]
    [InlineData("wholesale", "eq", "true", "")]
    [InlineData("compatibilityMode", "eq", "true", "01B")]
    [InlineData("dlp_action", "eq", "FLAG", "01C")]
    [InlineData("user_agent", "contains", "curl", "01B")]
    [InlineData("team_id", "eq", "t-red", "01C,01A")]
    [InlineData("team_name", "contains", "team", "01C")]
    [InlineData("session_id", "eq", "s-9", "01B")]
    [InlineData("guardrail_flags", "contains", "P1", "01A")]
    public async Task DottedFilter_SelectsRows(string key, string op, string value, string expected)
    {
        var response = await _host.SendAsync(HttpMethod.Get,
            $"{V4}/gw/logs?filters.key={Uri.EscapeDataString(key)}&filters.operator={op}&filters.value={Uri.EscapeDataString(value)}");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(expected, string.Join(',', Ids(response)));
    }

    [Fact]
    public async Task DottedFilters_RepeatedValuesOrAndFiltersAnd()
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?filters.key=provider&filters.operator=eq&filters.value=openai"
            + "&filters.value=anthropic&filters.key=cost&filters.operator=gt&filters.value=0.001");
        Assert.Equal(["01A"], Ids(response));
    }

    [Fact]
    public async Task IndexedJsonAndDeprecatedFormats_AlsoFilter()
    {
        var indexed = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?filters[0][key]=provider&filters[0][operator]=eq&filters[0][value][0]=anthropic");
        Assert.Equal(["01B"], Ids(indexed));

        var json = Uri.EscapeDataString("""[{"key":"tokens_in","operator":"eq","value":[null]}]""");
        Assert.Equal(["01B"], Ids(await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?filters={json}")));

        Assert.Equal(["01C"], Ids(await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?provider=openai&max_duration=10")));
        Assert.Equal(["01A"], Ids(await _host.SendAsync(HttpMethod.Get, $"/api/management/gateways/gw/logs?search=alice")));
    }

    [Fact]
    public async Task Paging_WalksPagesAndEndsWithAnEmpty200()
    {
        var first = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?per_page=2&order_by=model&order_by_direction=asc");
        Assert.Equal(["01B", "01A"], Ids(first));
        Assert.Equal(3, first.Root.GetProperty("result_info").GetProperty("total_count").GetInt32());

        var second = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?per_page=2&page=2&order_by=model&order_by_direction=asc");
        Assert.Equal(["01C"], Ids(second));
        Assert.Equal(1, second.Root.GetProperty("result_info").GetProperty("count").GetInt32());

        var past = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?per_page=2&page=3");
        Assert.Equal(HttpStatusCode.OK, past.Status);
        Assert.Empty(Ids(past));
        Assert.Equal((3, 0, 3), (past.Root.GetProperty("result_info").GetProperty("page").GetInt32(),
            past.Root.GetProperty("result_info").GetProperty("count").GetInt32(), past.Root.GetProperty("result_info").GetProperty("total_count").GetInt32()));
    }

    [Fact]
    public async Task MetaInfo_AddsMinAndMaxToResultInfo()
    {
        var listed = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?meta_info=true&per_page=1");
        var info = listed.Root.GetProperty("result_info");

        Assert.True(info.TryGetProperty("min_duration", out var min));
        Assert.True(info.TryGetProperty("max_duration", out var max));
        Assert.True(max.GetDouble() >= min.GetDouble());
        Assert.Equal(1, info.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("filters.key=colour&filters.operator=eq&filters.value=red", "filters[0].key")]
    [InlineData("filters.key=cost&filters.operator=around&filters.value=1", "filters[0].operator")]
    [InlineData("filters.key=cost&filters.operator=gt&filters.value=cheap", "filters[0].value")]
    [InlineData("page=0", "page")]
    [InlineData("order_by=cost", "order_by")]
    public async Task BadQuery_Is400WithPath(string query, string path)
        => (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs?{query}")).AssertError(HttpStatusCode.BadRequest, 400, path);

    [Fact]
    public async Task UnknownGatewayOrLog_Is404()
    {
        (await _host.SendAsync(HttpMethod.Get, $"{V4}/nope/logs")).AssertError(HttpStatusCode.NotFound, 404);
        (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs/01Z")).AssertError(HttpStatusCode.NotFound, 404);
        (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw-patch/logs/01A")).AssertError(HttpStatusCode.NotFound, 404);
        (await _host.SendAsync(HttpMethod.Delete, $"{V4}/nope/logs")).AssertError(HttpStatusCode.NotFound, 404);
        (await _host.SendAsync(HttpMethod.Get, $"{V4}/nope/analytics")).AssertError(HttpStatusCode.NotFound, 404);
    }

    [Fact]
    public async Task ListAndGet_ReturnTeamSessionGuardrailAndDlpFields()
    {
        var list = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs");
        var (c, b, a) = (list.Result[0], list.Result[1], list.Result[2]);
        Assert.Equal(("t-red", "Red", "abc-123", "S11,P1"), (a.GetProperty("team_id").GetString(), a.GetProperty("team_name").GetString(),
            a.GetProperty("session_id").GetString(), a.GetProperty("guardrail_flags").GetString()));
        Assert.Equal("BLOCK", b.GetProperty("dlp_action").GetString());

        // Absent values are present as null, like the SDK's other optional fields we add.
        Assert.Equal(JsonValueKind.Null, b.GetProperty("team_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, b.GetProperty("team_name").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("session_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("guardrail_flags").ValueKind);
        Assert.Equal(JsonValueKind.Null, a.GetProperty("dlp_action").ValueKind);

        var detail = (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs/01B")).Result;
        Assert.Equal(("s-9", "custom:pii", "BLOCK"), (detail.GetProperty("session_id").GetString(),
            detail.GetProperty("guardrail_flags").GetString(), detail.GetProperty("dlp_action").GetString()));
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("team_id").ValueKind);
    }

    [Fact]
    public async Task Get_AddsSizesAndBodyHeads()
    {
        var a = (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs/01A")).Result;
        Assert.Equal("""{"model":"gpt-4o"}""", a.GetProperty("request_head").GetString());
        Assert.True(a.GetProperty("request_head_complete").GetBoolean());
        Assert.Equal("data: {}\n\n", a.GetProperty("response_head").GetString());
        Assert.True(a.TryGetProperty("request_size", out _));

        // 3,000 × 'é' is 6,000 bytes: the head stops at 4 KiB without splitting a character.
        var c = (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs/01C")).Result;
        Assert.Equal(2048, c.GetProperty("request_head").GetString()!.Length);
        Assert.False(c.GetProperty("request_head_complete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("response_head").ValueKind);
    }

    [Fact]
    public async Task Bodies_ComeBackRawOr404WhenNotKept()
    {
        using var request = await _host.Client.GetAsync($"{V4}/gw/logs/01A/request");
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        Assert.Equal("application/json", request.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"model":"gpt-4o"}""", await request.Content.ReadAsStringAsync());

        using var response = await _host.Client.GetAsync($"{V4}/gw/logs/01A/response");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);

        (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs/01B/request")).AssertError(HttpStatusCode.NotFound, 404);
        (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/logs/01C/response")).AssertError(HttpStatusCode.NotFound, 404);
    }

    [Fact]
    public async Task Patch_UpdatesFeedbackScoreAndMetadata()
    {
        _host.Store.Add(LogRows.A with { Id = "P1", GatewayId = "gw-patch", Metadata = null });

        var response = await _host.SendAsync(HttpMethod.Patch, $"{V4}/gw-patch/logs/P1", """{"feedback":-1,"score":87.5,"metadata":{"user":"zed","n":2,"ok":true}}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal((-1, 87.5), (response.Result.GetProperty("feedback").GetInt32(), response.Result.GetProperty("score").GetDouble()));
        Assert.Equal("""{"user":"zed","n":2,"ok":true}""", response.Result.GetProperty("metadata").GetString());
        Assert.True(_host.Store.TryGet("P1", out var stored));
        Assert.Equal((-1, 87.5), (stored.Feedback, stored.Score));

        // Absent fields stay; null clears.
        var cleared = await _host.SendAsync(HttpMethod.Patch, $"{V4}/gw-patch/logs/P1", """{"feedback":null,"metadata":null}""");
        Assert.Equal((0, 87.5), (cleared.Result.GetProperty("feedback").GetInt32(), cleared.Result.GetProperty("score").GetDouble()));
        Assert.False(cleared.Result.TryGetProperty("metadata", out _));
    }

    [Theory]
    [InlineData("""{"feedback":2}""", "feedback")]
    [InlineData("""{"feedback":"up"}""", "feedback")]
    [InlineData("""{"score":"high"}""", "score")]
    [InlineData("""{"metadata":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}}""", "metadata")]
    [InlineData("""{"metadata":{"a":{"nested":true}}}""", "metadata")]
    [InlineData("""{"metadata":"text"}""", "metadata")]
    public async Task Patch_RejectsBadFields(string body, string path)
    {
        _host.Store.Add(LogRows.A with { Id = "P2", GatewayId = "gw-patch" });
        (await _host.SendAsync(HttpMethod.Patch, $"{V4}/gw-patch/logs/P2", body)).AssertError(HttpStatusCode.BadRequest, 400, path);
        (await _host.SendAsync(HttpMethod.Patch, $"{V4}/gw-patch/logs/P2", "not json")).AssertError(HttpStatusCode.BadRequest, 400);
        (await _host.SendAsync(HttpMethod.Patch, $"{V4}/gw-patch/logs/none", "{}")).AssertError(HttpStatusCode.NotFound, 404);
    }

    [Fact]
    public async Task Delete_RemovesMatchesByFilterOrderAndLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            _host.Store.Add(LogRows.A with { Id = $"D{i}", GatewayId = "gw-del", Cost = i, Success = i % 2 == 0 });
        }

        var response = await _host.SendAsync(HttpMethod.Delete,
            $"{V4}/gw-del/logs?filters.key=success&filters.operator=eq&filters.value=true&order_by=cost&order_by_direction=desc&limit=2");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Root.GetProperty("success").GetBoolean());
        Assert.Equal(2, response.Result.GetProperty("deleted").GetInt32());

        var left = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw-del/logs?order_by=created_at");
        Assert.Equal(["D0", "D1", "D3"], Ids(left).Order(StringComparer.Ordinal));
        Assert.True(_host.Store.TryGet("01A", out _));

        (await _host.SendAsync(HttpMethod.Delete, $"{V4}/gw-del/logs?order_by=colour")).AssertError(HttpStatusCode.BadRequest, 400, "order_by");
    }

    [Fact]
    public async Task Analytics_GroupsOnBothPrefixes()
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"/api/management/gateways/gw/analytics?group_by=provider&start=2025-01-01T00:00:00Z&end=2025-01-04T00:00:00Z");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var groups = response.Result.EnumerateArray().ToArray();
        Assert.Equal(["anthropic", "openai"], groups.Select(g => g.GetProperty("provider").GetString()));
        Assert.Equal((2, 0, 1, 17, 20), (groups[1].GetProperty("requests").GetInt32(), groups[1].GetProperty("errors").GetInt32(),
            groups[1].GetProperty("cache_hits").GetInt32(), groups[1].GetProperty("tokens_in").GetInt32(), groups[1].GetProperty("tokens_out").GetInt32()));
        Assert.Equal(100, groups[1].GetProperty("latency_ms").GetProperty("p95").GetDouble());

        var v4 = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/analytics?bucket=day&group_by=success");
        Assert.Equal(3, v4.Result.GetArrayLength());
        Assert.Equal("2025-01-01T00:00:00.000Z", v4.Result[0].GetProperty("bucket").GetString());
        Assert.True(v4.Result[0].GetProperty("success").GetBoolean());

        (await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/analytics?bucket=week")).AssertError(HttpStatusCode.BadRequest, 400, "bucket");
    }

    [Fact]
    public async Task Analytics_GroupByTeam_ReportsTheTeamIdAndName()
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/analytics?group_by=team&start=2025-01-01T00:00:00Z&end=2025-01-04T00:00:00Z");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var groups = response.Result.EnumerateArray().ToArray();
        Assert.Equal(2, groups.Length);
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, 1), (groups[0].GetProperty("team").ValueKind,
            groups[0].GetProperty("team_name").ValueKind, groups[0].GetProperty("requests").GetInt32()));
        Assert.Equal(("t-red", "Red Team", 2), (groups[1].GetProperty("team").GetString(),
            groups[1].GetProperty("team_name").GetString(), groups[1].GetProperty("requests").GetInt32()));

        var byProvider = await _host.SendAsync(HttpMethod.Get, $"{V4}/gw/analytics?group_by=provider");
        Assert.False(byProvider.Result[0].TryGetProperty("team_name", out _));
    }

    [Fact]
    public async Task AnalyticsOfEveryGateway_GroupsByGatewayAndAgreesWithEachGateway()
    {
        const string Range = "start=2025-01-01T00:00:00Z&end=2025-01-04T00:00:00Z";
        var all = await _host.SendAsync(HttpMethod.Get, $"/api/management/analytics?group_by=gateway&{Range}");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        var gw = all.Result.EnumerateArray().Single(g => g.GetProperty("gateway").GetString() == "gw");
        var one = await _host.SendAsync(HttpMethod.Get, $"/api/management/gateways/gw/analytics?{Range}");
        Assert.Equal(one.Result[0].GetProperty("requests").GetInt32(), gw.GetProperty("requests").GetInt32());
        Assert.Equal(one.Result[0].GetProperty("cost").GetDouble(), gw.GetProperty("cost").GetDouble());
        Assert.Equal(0, gw.GetProperty("rate_limited").GetInt32());
        Assert.Equal(0, gw.GetProperty("cache_saved_cost").GetDouble());

        var byUser = await _host.SendAsync(HttpMethod.Get, $"/api/management/gateways/gw/analytics?group_by=metadata.user&{Range}");
        Assert.Equal([null, "alice", "bob"], byUser.Result.EnumerateArray().Select(g => g.GetProperty("metadata.user").GetString()));

        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        (await _host.SendAsync(HttpMethod.Get, "/api/management/analytics", client: anonymous)).AssertError(HttpStatusCode.Unauthorized, 10000);
        (await _host.SendAsync(HttpMethod.Get, "/api/management/analytics?bucket=week")).AssertError(HttpStatusCode.BadRequest, 400, "bucket");
    }

    [Theory]
    [InlineData("GET", "/gw/logs")]
    [InlineData("GET", "/gw/logs/01A")]
    [InlineData("GET", "/gw/logs/01A/request")]
    [InlineData("PATCH", "/gw/logs/01A")]
    [InlineData("DELETE", "/gw/logs")]
    [InlineData("GET", "/gw/analytics")]
    public async Task WithoutToken_Is401(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        var response = await _host.SendAsync(new HttpMethod(method), V4 + path, method == "PATCH" ? "{}" : null, anonymous);
        response.AssertError(HttpStatusCode.Unauthorized, 10000);
        Assert.True(_host.Store.TryGet("01A", out _));
    }
}
