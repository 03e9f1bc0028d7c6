using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Client;
using Gateway.Fast.Client.Logs;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Clients;

/// <summary>The .NET client against the real gateway and simulator: runs, streams, the Universal Endpoint, logs and URLs.</summary>
public sealed class DotNetClientTests : IAsyncLifetime
{
    private const string Account = "test-account";

    private readonly GatewayWithSimulator _env = new();
    private GatewayClient _client = null!;

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();
        _client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = _env.Gateway.Address,
            AccountId = Account,
            ApiToken = GatewayServer.ManagementToken,
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    private static JsonObject Chat(string content, string? model = null)
    {
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }) };
        if (model is not null)
        {
            body["model"] = model;
        }

        return body;
    }

    private static readonly RunOptions WithKey = new() { ProviderApiToken = "sk-test" };

    [Fact]
    public async Task RunAsync_CompletesAChat_AndLastLogIdNamesItsRow()
    {
        Assert.Null(_client.LastLogId);

        var result = await _client.RunAsync("openai/gpt-4o-mini", Chat("Hello"), WithKey);

        Assert.Equal("chat.completion", result.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        string logId = Assert.IsType<string>(_client.LastLogId);
        Assert.Equal(26, logId.Length);
        await _env.Gateway.WaitForLogRowAsync(logId);
        var row = await _client.Gateway("default").GetLogAsync(logId);
        Assert.Equal("openai", row.Provider);
        Assert.Equal("gpt-4o-mini", row.Model);
        Assert.Equal("compat", row.RequestType);
        Assert.True(row.Success);
        Assert.True(row.RequestSize > 0);
        Assert.Contains("Hello", row.RequestHead, StringComparison.Ordinal);
        Assert.True(row.CreatedAt > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task RunAsync_SendsCfModelsToWorkersAi_AndUnwrapsTheEnvelope()
    {
        var result = await _client.RunAsync("@cf/meta/llama-3.1-8b-instruct", new JsonObject { ["prompt"] = "Hello" }, new() { ProviderApiToken = "cf-test" });

        Assert.False(string.IsNullOrEmpty(result.GetProperty("response").GetString()));
        var row = await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        Assert.Equal("workers-ai", row.Provider);
    }

    [Fact]
    public async Task PatchLogAsync_SetsFeedbackScoreAndMetadata_SeenOnTheRow()
    {
        await _client.RunAsync("openai/gpt-4o-mini", Chat("rate me"), WithKey);
        string logId = _client.LastLogId!;
        await _env.Gateway.WaitForLogRowAsync(logId);
        var gateway = _client.Gateway("default");

        var patched = await gateway.PatchLogAsync(logId, new LogPatch { Feedback = 1, Score = 95, Metadata = new Dictionary<string, object?> { ["reviewed"] = true } });

        var row = await gateway.GetLogAsync(logId);
        Assert.Equal(1, patched.Feedback);
        Assert.Equal(1, row.Feedback);
        Assert.Equal(95, row.Score);
        Assert.True(row.Metadata!["reviewed"].GetBoolean());
        var stored = await _env.Gateway.WaitForLogRowAsync(logId);
        Assert.Equal(1, stored.Feedback);
    }

    [Fact]
    public async Task PatchLogAsync_LeavesOutUnsetFields_AndNullClears()
    {
        await _client.RunAsync("openai/gpt-4o-mini", Chat("rate me twice"), WithKey);
        string logId = _client.LastLogId!;
        await _env.Gateway.WaitForLogRowAsync(logId);
        var gateway = _client.Gateway("default");

        await gateway.PatchLogAsync(logId, new LogPatch { Feedback = -1, Score = 10 });
        var row = await gateway.PatchLogAsync(logId, new LogPatch { Score = null });

        Assert.Equal(-1, row.Feedback);
        Assert.Null(row.Score);
    }

    [Fact]
    public async Task GetLogAsync_OfAnUnknownId_ThrowsLogNotFound()
    {
        var gateway = _client.Gateway("default");

        await Assert.ThrowsAsync<AiGatewayLogNotFoundException>(() => gateway.GetLogAsync("01ZZZZZZZZZZZZZZZZZZZZZZZZ"));
        await Assert.ThrowsAsync<AiGatewayLogNotFoundException>(() => gateway.PatchLogAsync("01ZZZZZZZZZZZZZZZZZZZZZZZZ", new LogPatch { Feedback = 1 }));
    }

    [Fact]
    public async Task LogsApi_WithAWrongToken_ThrowsInternalErrorWith401()
    {
        using var stranger = new GatewayClient(new() { BaseUrl = _env.Gateway.Address, AccountId = Account, ApiToken = "wrong" });

        var error = await Assert.ThrowsAsync<AiGatewayInternalException>(() => stranger.Gateway("default").GetLogAsync("01ZZZZZZZZZZZZZZZZZZZZZZZZ"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
    }

    [Fact]
    public async Task RunAsync_ThroughAnUnknownGateway_ThrowsWithStatusCodeAndLogId()
    {
        var error = await Assert.ThrowsAsync<AiGatewayException>(() =>
            _client.RunAsync("openai/gpt-4o-mini", Chat("Hello"), WithKey with { Gateway = new() { Id = "no-such-gateway" } }));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("2001", error.Code);
        Assert.Equal(_client.LastLogId, error.LogId);
    }

    [Fact]
    public async Task GatewayOptions_ReachTheGatewayAsHeaders_MetadataEventIdAndCache()
    {
        string eventId = "evt-" + Guid.NewGuid().ToString("N");
        var options = WithKey with
        {
            Gateway = new() { CacheTtl = TimeSpan.FromMinutes(10), EventId = eventId, Metadata = new Dictionary<string, object?> { ["user"] = "ada", ["tier"] = 2 } },
        };
        var inputs = Chat("cache me " + eventId);

        using var first = await _client.RunRawAsync("openai/gpt-4o-mini", inputs, options);
        string firstId = _client.LastLogId!;
        using var second = await _client.RunRawAsync("openai/gpt-4o-mini", inputs, options);

        Assert.Equal("MISS", first.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Equal("HIT", second.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Equal(eventId, second.Headers.GetValues("cf-aig-event-id").Single());
        await _env.Gateway.WaitForLogRowAsync(firstId);
        var row = await _client.Gateway("default").GetLogAsync(firstId);
        Assert.Equal(eventId, row.EventId);
        Assert.Equal("ada", row.Metadata!["user"].GetString());
        Assert.Equal(2, row.Metadata["tier"].GetInt32());
    }

    [Fact]
    public async Task StreamAsync_YieldsTheEventsAsTheyArrive()
    {
        var text = new System.Text.StringBuilder();
        string? last = null;
        await foreach (var item in _client.StreamAsync("openai/gpt-4o-mini", Chat("stream please"), WithKey))
        {
            last = item.Data;
            if (item.Data != "[DONE]")
            {
                using var chunk = JsonDocument.Parse(item.Data);
                var choices = chunk.RootElement.GetProperty("choices");
                if (choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content))
                {
                    text.Append(content.GetString());
                }
            }
        }

        Assert.Equal("[DONE]", last);
        Assert.NotEqual(0, text.Length);
        var row = await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        Assert.True(row.Success);
    }

    [Fact]
    public async Task UniversalRunAsync_FallsBackFromAFailingStepToTheNext()
    {
        var gateway = _client.Gateway("default");

        using var response = await gateway.RunAsync(
        [
            new UniversalStep
            {
                Provider = "openai", Endpoint = "chat/completions", Query = Chat("first", "gpt-4o-mini"),
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer sk-test", ["x-sim-status"] = "500" },
            },
            new UniversalStep
            {
                Provider = "groq", Endpoint = "chat/completions", Query = Chat("second", "llama-3.1-8b-instant"),
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer gsk-test" },
            },
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("cf-aig-step").Single());
        Assert.Equal(response.Headers.GetValues("cf-aig-log-id").Single(), _client.LastLogId);
        await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        var row = await gateway.GetLogAsync(_client.LastLogId!);
        Assert.Equal("groq", row.Provider);
        Assert.Equal("universal", row.RequestType);
        Assert.Equal(1, row.Step);
    }

    [Fact]
    public async Task UniversalRunAsync_StreamsThroughServerSentEvents()
    {
        var streamed = Chat("stream", "gpt-4o-mini");
        streamed["stream"] = true;

        var response = await _client.Gateway("default").RunAsync(
        [
            new UniversalStep { Provider = "openai", Endpoint = "chat/completions", Query = Chat("fail", "m"), Headers = new Dictionary<string, string> { ["x-sim-status"] = "503" } },
            new UniversalStep
            {
                Provider = "openai", Endpoint = "chat/completions", Query = streamed,
                Config = new UniversalStepConfig { MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(30) },
            },
        ], new UniversalRunOptions { Gateway = new GatewayRequestOptions { SkipCache = true } });
        Assert.Equal("1", response.Headers.GetValues("cf-aig-step").Single());
        Assert.Equal("BYPASS", response.Headers.GetValues("cf-aig-cache-status").Single());

        var events = new List<string>();
        await foreach (var item in ServerSentEvents.ReadAsync(response))
        {
            events.Add(item.Data);
        }

        Assert.True(events.Count > 2, $"expected several events, got {events.Count}");
        Assert.Equal("[DONE]", events[^1]);
        using var first = JsonDocument.Parse(events[0]);
        Assert.Equal("chat.completion.chunk", first.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task GetUrl_BuildsProviderAndUniversalUrls_EqualToTheGatewaysAnswer()
    {
        var gateway = _client.Gateway("default");
        string root = _env.Gateway.Address.ToString().TrimEnd('/');

        string openai = gateway.GetUrl("openai");

        Assert.Equal($"{root}/v1/{Account}/default/openai", openai);
        Assert.Equal($"{root}/v1/{Account}/default/", gateway.GetUrl());
        using var management = _env.Gateway.ManagementClient();
        using var answer = JsonDocument.Parse(await management.GetStringAsync($"client/v4/accounts/{Account}/ai-gateway/gateways/default/url/openai"));
        Assert.Equal(openai, answer.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task ListLogsAsync_FiltersAndPages()
    {
        await _client.RunAsync("openai/gpt-4o-mini", Chat("one"), WithKey);
        await _client.RunAsync("@cf/meta/llama-3.1-8b-instruct", new JsonObject { ["prompt"] = "two" }, new() { ProviderApiToken = "cf" });
        await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        var gateway = _client.Gateway("default");

        var workersAi = await gateway.ListLogsAsync(new LogQuery { Filters = [LogFilter.Eq("provider", "workers-ai")] });
        var firstPage = await gateway.ListLogsAsync(new LogQuery { PerPage = 1, OrderByDirection = "asc" });

        var row = Assert.Single(workersAi.Rows);
        Assert.Equal(_client.LastLogId, row.Id);
        Assert.Equal(1, workersAi.TotalCount);
        Assert.Equal("openai", Assert.Single(firstPage.Rows).Provider);
        Assert.Equal(2, firstPage.TotalCount);
        Assert.Equal(1, firstPage.PerPage);
    }

    [Fact]
    public async Task ListLogsAsync_SuccessFalse_FindsTheFailedRequest()
    {
        await _client.RunAsync("openai/gpt-4o-mini", Chat("fine"), WithKey);
        var failure = await Assert.ThrowsAsync<AiGatewayException>(() => _client.RunAsync("openai/gpt-4o-mini", Chat("broken"),
            WithKey with { ExtraHeaders = new Dictionary<string, string> { ["x-sim-status"] = "500" } }));
        await _env.Gateway.WaitForLogRowAsync(failure.LogId!);

        var failed = await _client.Gateway("default").ListLogsAsync(new LogQuery { Success = false, StartDate = DateTimeOffset.UtcNow.AddHours(-1) });

        Assert.Equal(HttpStatusCode.InternalServerError, failure.Status);
        var row = Assert.Single(failed.Rows);
        Assert.Equal(failure.LogId, row.Id);
        Assert.Equal(500, row.StatusCode);
        Assert.False(row.Success);
    }

    [Fact]
    public async Task GetAnalyticsAsync_GroupsTheRowsByProvider()
    {
        await _client.RunAsync("openai/gpt-4o-mini", Chat("one"), WithKey);
        await _client.RunAsync("openai/gpt-4o-mini", Chat("two"), WithKey);
        await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);

        var groups = await _client.Gateway("default").GetAnalyticsAsync(new() { GroupBy = ["provider"] });

        var openai = Assert.Single(groups);
        Assert.Equal("openai", openai.Provider);
        Assert.Equal(2, openai.Requests);
        Assert.Equal(0, openai.Errors);
        Assert.True(openai.TokensOut > 0);
        Assert.NotNull(openai.LatencyMs?.P50);
    }
}
