using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Integration;

/// <summary>Requests through the gateway leave log rows with usage and cost, readable through Cloudflare's logs API.</summary>
public sealed class RequestLogTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private const string Logs = "client/v4/accounts/acct/ai-gateway/gateways/default/logs";

    private static string ChatBody(bool stream = false) =>
        $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Count the logs"}]}""";

    private async Task<(HttpResponseMessage Response, string LogId)> SendAsync(string provider, string path, string body,
        params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl(provider), path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-log-test");
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        var response = await _env.Gateway.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, response.Headers.GetValues("cf-aig-log-id").Single());
    }

    private Task<LogRecord> WaitForRowAsync(string id) => _env.Gateway.WaitForLogRowAsync(id);

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var client = _env.Gateway.ManagementClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task PlainChat_LeavesARowWithUsageCostMetadataAndBodies()
    {
        string body = ChatBody();
        var (response, id) = await SendAsync("openai", "chat/completions", body,
            ("cf-aig-metadata", """{"team":"search","run":7}"""), ("cf-aig-event-id", "evt-42"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await WaitForRowAsync(id);
        var row = (await GetJsonAsync($"{Logs}/{id}")).GetProperty("result");

        Assert.Equal("openai", row.GetProperty("provider").GetString());
        Assert.Equal("gpt-4o-mini", row.GetProperty("model").GetString());
        Assert.Equal("chat/completions", row.GetProperty("path").GetString());
        Assert.True(row.GetProperty("success").GetBoolean());
        Assert.False(row.GetProperty("cached").GetBoolean());
        Assert.Equal(16, row.GetProperty("tokens_out").GetInt32());
        Assert.Equal(Encoding.UTF8.GetByteCount(body) / 4, row.GetProperty("tokens_in").GetInt32());
        Assert.True(row.GetProperty("cost").GetDouble() > 0);
        Assert.Equal("evt-42", row.GetProperty("event_id").GetString());
        using (var metadata = JsonDocument.Parse(row.GetProperty("metadata").GetString()!))
        {
            Assert.Equal("search", metadata.RootElement.GetProperty("team").GetString());
        }

        using var client = _env.Gateway.ManagementClient();
        Assert.Equal(body, await client.GetStringAsync($"{Logs}/{id}/request"));
        Assert.Equal(await response.Content.ReadAsStringAsync(), await client.GetStringAsync($"{Logs}/{id}/response"));
        Assert.DoesNotContain("sk-log-test", await client.GetStringAsync($"{Logs}/{id}"));
    }

    [Theory]
    [InlineData("openai", "chat/completions", 24)]
    [InlineData("anthropic", "v1/messages", 24)]
    public async Task StreamedAnswers_AreAccountedFromTheStream(string provider, string path, int tokens)
    {
        string body = provider == "anthropic"
            ? """{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""
            : ChatBody(stream: true);
        var (response, id) = await SendAsync(provider, path, body, ("x-sim-tokens", tokens.ToString()));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);

        var row = await WaitForRowAsync(id);

        Assert.Equal(tokens, row.TokensOut);
        Assert.True(row.TokensIn > 0);
        Assert.False(row.TokensEstimated);
        Assert.NotNull(row.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task ALongStreamsBody_IsLoggedByteForByte()
    {
        // 300 events: about 60 KB, so most of the body was held in compressed blocks while the stream ran.
        var (response, id) = await SendAsync("openai", "chat/completions", ChatBody(stream: true), ("x-sim-tokens", "300"));
        string streamed = await response.Content.ReadAsStringAsync();
        Assert.True(streamed.Length > 40_000, $"a {streamed.Length}-character stream");

        await WaitForRowAsync(id);

        using var client = _env.Gateway.ManagementClient();
        Assert.Equal(streamed, await client.GetStringAsync($"{Logs}/{id}/response"));
    }

    [Fact]
    public async Task AStreamsCompressedBlocks_AreStoredAsTheyAre_AndServedAsTheBytesTheClientReceived()
    {
        // 200 events: about 40 KB, nine blocks, all but the last held compressed and stored so.
        var (response, id) = await SendAsync("openai", "chat/completions", ChatBody(stream: true), ("x-sim-tokens", "200"));
        byte[] streamed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(streamed.Length > 4 * BodyCapture.BlockSize, $"a {streamed.Length}-byte stream");

        var row = await WaitForRowAsync(id);

        using var client = _env.Gateway.ManagementClient();
        Assert.Equal(streamed, await client.GetByteArrayAsync($"{Logs}/{id}/response"));
        Assert.Equal(streamed.Length, row.ResponseSize);
        var store = _env.Gateway.Services.GetRequiredService<FasterLogStore>();
        int? stored = await store.RowEntryLengthAsync(id, default);
        Assert.True(stored < streamed.Length / 2, $"a {stored}-byte row for a {streamed.Length}-byte body");
    }

    [Fact]
    public async Task CollectLogFalse_LeavesNoRow()
    {
        var (_, skipped) = await SendAsync("openai", "chat/completions", ChatBody(), ("cf-aig-collect-log", "false"));
        var (_, kept) = await SendAsync("openai", "chat/completions", ChatBody());

        await WaitForRowAsync(kept);
        Assert.False(_env.Gateway.Services.GetRequiredService<ILogStore>().TryGet(skipped, out _));
    }

    [Fact]
    public async Task PayloadFalse_KeepsTheRowWithoutBodies()
    {
        var (_, id) = await SendAsync("openai", "chat/completions", ChatBody(), ("cf-aig-collect-log-payload", "false"));

        var row = await WaitForRowAsync(id);
        using var client = _env.Gateway.ManagementClient();
        using var body = await client.GetAsync($"{Logs}/{id}/request");

        Assert.False(row.BodiesKept);
        Assert.Equal(HttpStatusCode.NotFound, body.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}""")]
    [InlineData("""{"nested":{"x":1}}""")]
    public async Task MalformedMetadata_Is400InTheCallersShape(string metadata)
    {
        var (response, _) = await SendAsync("openai", "chat/completions", ChatBody(), ("cf-aig-metadata", metadata));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2014, doc.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task CacheHit_IsLoggedAsCachedWithTheSameUsage()
    {
        var (_, miss) = await SendAsync("openai", "chat/completions", ChatBody(), ("cf-aig-cache-ttl", "600"));
        var (_, hit) = await SendAsync("openai", "chat/completions", ChatBody(), ("cf-aig-cache-ttl", "600"));

        var missRow = await WaitForRowAsync(miss);
        var hitRow = await WaitForRowAsync(hit);

        Assert.False(missRow.Cached);
        Assert.True(hitRow.Cached);
        // The HIT takes the usage stored with the entry: the same counts, model and cost as the answer it replays.
        Assert.Equal((missRow.TokensIn, missRow.TokensOut, missRow.TokensEstimated, missRow.Model, missRow.Cost),
            (hitRow.TokensIn, hitRow.TokensOut, hitRow.TokensEstimated, hitRow.Model, hitRow.Cost));
    }

    [Fact]
    public async Task Rows_SurviveARestart_AndFiltersFindThem()
    {
        var (_, id) = await SendAsync("openai", "chat/completions", ChatBody(), ("cf-aig-metadata", """{"team":"durable"}"""));
        await WaitForRowAsync(id);

        await _env.RestartGatewayAsync();
        var listed = await GetJsonAsync($"{Logs}?filters.key=metadata.value&filters.operator=eq&filters.value=durable");

        Assert.Equal(id, listed.GetProperty("result")[0].GetProperty("id").GetString());
        Assert.Equal(1, listed.GetProperty("result_info").GetProperty("total_count").GetInt32());
    }

    [Theory]
    [InlineData("X-SESSION-ID", "abc-123", "abc-123")]
    [InlineData("Cookie", "theme=dark; session_id=s-9", "s-9")]
    [InlineData("X-SESSION-ID", "not valid!", null)]
    public async Task SessionIdHeaderOrCookie_IsRecordedOnTheRow(string header, string value, string? expected)
    {
        var (response, id) = await SendAsync("openai", "chat/completions", ChatBody(), (header, value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // an invalid session id is dropped, never refused

        var row = await WaitForRowAsync(id);
        Assert.Equal(expected, row.SessionId);
        Assert.Null(row.TeamId);
        Assert.Null(row.GuardrailFlags);

        var listed = await GetJsonAsync($"{Logs}/{id}");
        var result = listed.GetProperty("result");
        if (expected is null)
        {
            Assert.Equal(JsonValueKind.Null, result.GetProperty("session_id").ValueKind);
        }
        else
        {
            Assert.Equal(expected, result.GetProperty("session_id").GetString());
            var filtered = await GetJsonAsync($"{Logs}?filters.key=session_id&filters.operator=eq&filters.value={expected}");
            Assert.Equal(id, Assert.Single(filtered.GetProperty("result").EnumerateArray()).GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task UniversalRequest_LogsTheAnsweringStepItsPathAndModel()
    {
        using var response = await _env.Gateway.Client.PostAsync("v1/acct/default", new StringContent("""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"x-sim-status":"500"},"query":{"model":"gpt-4o","messages":[]}},
             {"provider":"anthropic","endpoint":"v1/messages","query":{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[]}}]
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = await WaitForRowAsync(response.Headers.GetValues("cf-aig-log-id").Single());

        Assert.Equal("universal", row.RequestType);
        Assert.Equal(1, row.Step);
        Assert.Equal("anthropic", row.Provider);
        Assert.Equal("v1/messages", row.Path);
        Assert.Equal("claude-sonnet-4-5", row.Model);
        Assert.True(row.TokensOut > 0);

        var store = _env.Gateway.Services.GetRequiredService<ILogStore>();
        var fallen = Assert.Single(store.Scan("default"), r => r.Id != row.Id);
        Assert.Equal((0, 500, false, "openai", "gpt-4o"), (fallen.Step, fallen.StatusCode, fallen.Success, fallen.Provider, fallen.Model));
        Assert.Equal("universal", fallen.RequestType);
    }
}
