using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;
using ModelContextProtocol.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gateway.Fast.Tests.Mcp;

/// <summary>The MCP server at /mcp and /sse, driven by the official SDK's client over real Kestrel, with the simulator upstream.</summary>
public sealed class McpServerTests : IAsyncLifetime
{
    private static readonly string[] ToolNames =
    [
        "list_gateways", "list_logs", "get_log_details", "get_log_request_body", "get_log_response_body", "get_analytics", "search_logs",
    ];

    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task McpClient_FindsAFailedRequestByListLogsAndReadsItsRequestBody()
    {
        await using var client = await ConnectAsync("mcp");
        var tools = await client.ListToolsAsync();
        Assert.Equal(ToolNames.Order(), tools.Select(static t => t.Name).Order());
        Assert.All(tools, static t => Assert.True(t.Description.Length > 80, $"{t.Name} needs a description a model can choose by"));
        Assert.All(tools, static t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint));

        var okId = await SendChatAsync("The weather in Lisbon");
        var failedBody = ChatBody("Why did the invoice parser fail?");
        var failedId = await SendChatAsync("Why did the invoice parser fail?", ("x-sim-status", "500"));
        await _env.Gateway.WaitForLogRowAsync(okId);
        await _env.Gateway.WaitForLogRowAsync(failedId);

        // account_id, which Cloudflare's tools take, is accepted and ignored: one process is one account.
        using var failed = await CallAsync(client, "list_logs", new() { ["account_id"] = "acct", ["gateway_id"] = "default", ["success"] = false });
        var rows = failed.RootElement.GetProperty("result");
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(failedId, row.GetProperty("id").GetString());
        Assert.Equal(500, row.GetProperty("status_code").GetInt32());
        Assert.False(row.GetProperty("success").GetBoolean());
        var info = failed.RootElement.GetProperty("result_info");
        Assert.Equal((1, 20, 1, 1), (info.GetProperty("page").GetInt32(), info.GetProperty("per_page").GetInt32(),
            info.GetProperty("count").GetInt32(), info.GetProperty("total_count").GetInt32()));

        using var body = await CallAsync(client, "get_log_request_body", new() { ["gateway_id"] = "default", ["log_id"] = failedId });
        using var sent = JsonDocument.Parse(failedBody);
        Assert.True(JsonElement.DeepEquals(sent.RootElement, body.RootElement.GetProperty("result")));

        using var response = await CallAsync(client, "get_log_response_body", new() { ["gateway_id"] = "default", ["log_id"] = failedId });
        Assert.Equal(JsonValueKind.Object, response.RootElement.GetProperty("result").GetProperty("error").ValueKind);

        using var details = await CallAsync(client, "get_log_details", new() { ["gateway_id"] = "default", ["log_id"] = failedId });
        var detail = details.RootElement.GetProperty("result");
        Assert.Equal(failedId, detail.GetProperty("id").GetString());
        Assert.Contains("invoice parser", detail.GetProperty("request_head").GetString());
    }

    [Fact]
    public async Task ListLogs_OrdersAndPagesLikeCloudflaresTool()
    {
        await using var client = await ConnectAsync("mcp");
        var first = await SendChatAsync("one", ("x-sim-tokens", "5"));
        var second = await SendChatAsync("two", ("x-sim-tokens", "50"));
        await _env.Gateway.WaitForLogRowAsync(first);
        await _env.Gateway.WaitForLogRowAsync(second);

        // tokens_out is a sort field of Cloudflare's tool though not of the REST list: the tool honours it.
        using var page = await CallAsync(client, "list_logs", new()
        {
            ["gateway_id"] = "default", ["order_by"] = "tokens_out", ["order_by_direction"] = "asc", ["per_page"] = 1, ["page"] = 2,
        });
        Assert.Equal(second, Assert.Single(page.RootElement.GetProperty("result").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(2, page.RootElement.GetProperty("result_info").GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task TheAppsContainer_HoldsNoMcpServices_TheFirstMcpRequestBuildsTheirOwn()
    {
        // A gateway that never serves an assistant loads none of the SDK: no tools, no hosted service of its own.
        var app = _env.Gateway.Services;
        Assert.Empty(app.GetServices<McpServerTool>());
        Assert.DoesNotContain(app.GetServices<IHostedService>(), static s => s.GetType().Assembly.GetName().Name!.StartsWith("ModelContextProtocol", StringComparison.Ordinal));
        var proxied = await SendChatAsync("before any MCP request");
        await _env.Gateway.WaitForLogRowAsync(proxied);

        await using var client = await ConnectAsync("mcp");

        Assert.Equal(ToolNames.Order(), (await client.ListToolsAsync()).Select(static t => t.Name).Order());
        using var details = await CallAsync(client, "get_log_details", new() { ["gateway_id"] = "default", ["log_id"] = proxied });
        Assert.Equal(proxied, details.RootElement.GetProperty("result").GetProperty("id").GetString());
        Assert.Empty(app.GetServices<McpServerTool>());
    }

    [Fact]
    public async Task SearchLogs_FindsARequestByTheTextOfItsBody()
    {
        await using var client = await ConnectAsync("mcp");
        var wanted = await SendChatAsync("Translate the Zanzibar contract");
        var other = await SendChatAsync("Something else entirely");
        await _env.Gateway.WaitForLogRowAsync(wanted);
        await _env.Gateway.WaitForLogRowAsync(other);

        using var found = await CallAsync(client, "search_logs", new() { ["gateway_id"] = "default", ["query"] = "zanzibar" });

        var row = Assert.Single(found.RootElement.GetProperty("result").EnumerateArray());
        Assert.Equal(wanted, row.GetProperty("id").GetString());
        Assert.Equal("request_body", row.GetProperty("matched_in").GetString());
        Assert.False(found.RootElement.GetProperty("result_info").GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task SearchLogs_FindsAStreamByTextInItsCompressedBlocks()
    {
        // The simulator's first token, "Hello", is only in the stream's first event: in a block the row keeps compressed.
        await using var client = await ConnectAsync("mcp");
        var wanted = await SendChatAsync("Stream it", stream: true, ("x-sim-tokens", "200"));
        await _env.Gateway.WaitForLogRowAsync(wanted);

        using var found = await CallAsync(client, "search_logs", new() { ["gateway_id"] = "default", ["query"] = "hello" });

        var row = Assert.Single(found.RootElement.GetProperty("result").EnumerateArray());
        Assert.Equal(wanted, row.GetProperty("id").GetString());
        Assert.Equal("response_body", row.GetProperty("matched_in").GetString());
    }

    [Fact]
    public async Task GetAnalytics_ReturnsTotalsAndTheBreakdown()
    {
        await using var client = await ConnectAsync("mcp");
        var ok = await SendChatAsync("fine");
        var failed = await SendChatAsync("broken", ("x-sim-status", "503"));
        await _env.Gateway.WaitForLogRowAsync(ok);
        await _env.Gateway.WaitForLogRowAsync(failed);

        // A range that surely holds both rows: the rows' own times are not asserted.
        using var analytics = await CallAsync(client, "get_analytics", new()
        {
            ["start"] = "2000-01-01T00:00:00Z", ["end"] = "2100-01-01T00:00:00Z", ["group_by"] = "success",
        });

        var result = analytics.RootElement.GetProperty("result");
        Assert.Equal(JsonValueKind.Null, result.GetProperty("gateway_id").ValueKind);
        Assert.Equal((2, 1), (result.GetProperty("totals").GetProperty("requests").GetInt32(), result.GetProperty("totals").GetProperty("errors").GetInt32()));
        var groups = result.GetProperty("groups").EnumerateArray().ToDictionary(static g => g.GetProperty("success").GetBoolean(), static g => g.GetProperty("requests").GetInt32());
        Assert.Equal(new Dictionary<bool, int> { [false] = 1, [true] = 1 }, groups);
    }

    [Theory]
    [InlineData("mcp")]
    [InlineData("sse")]
    public async Task WithoutTheManagementToken_TheEndpointAnswers401(string path)
    {
        using var http = new HttpClient { BaseAddress = _env.Gateway.Address };
        var initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

        foreach (var token in new[] { null, "wrong-token" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(initialize, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("Authorization: Bearer", text);
            Assert.DoesNotContain(GatewayServer.ManagementToken, text);
        }

        // The SDK's client surfaces the refusal as the HTTP failure it is.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(path, token: "wrong-token"));
        Assert.Contains(Chain(refused), static e => e is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized });
    }

    [Fact]
    public async Task SseAlias_ServesTheSameStatelessServer()
    {
        await using var client = await ConnectAsync("sse");

        var tools = await client.ListToolsAsync();
        Assert.Equal(ToolNames.Order(), tools.Select(static t => t.Name).Order());
        using var gateways = await CallAsync(client, "list_gateways", new());
        Assert.Contains(gateways.RootElement.GetProperty("result").EnumerateArray(), static g => g.GetProperty("id").GetString() == "default");
        Assert.Null(client.SessionId);
    }

    [Theory]
    [InlineData("get_log_details", "default", "01NOSUCHLOG0000000000000000", "Log '01NOSUCHLOG0000000000000000' not found in gateway 'default'")]
    [InlineData("get_log_request_body", "default", "01NOSUCHLOG0000000000000000", "Log '01NOSUCHLOG0000000000000000' not found")]
    [InlineData("get_log_response_body", "no-such-gateway", "01NOSUCHLOG0000000000000000", "Gateway 'no-such-gateway' not found")]
    public async Task UnknownLogOrGateway_IsAToolErrorThatSaysWhich(string tool, string gateway, string logId, string message)
    {
        await using var client = await ConnectAsync("mcp");

        var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { ["gateway_id"] = gateway, ["log_id"] = logId });

        Assert.True(result.IsError);
        Assert.Contains(message, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Theory]
    [InlineData("list_logs", "start_date", "last tuesday", "start_date")]
    [InlineData("list_logs", "per_page", 51, "per_page must be between 1 and 50")]
    [InlineData("list_logs", "order_by", "colour", "order_by 'colour'")]
    [InlineData("get_analytics", "start", "soon", "start must be an ISO-8601 time")]
    public async Task BadArguments_AreToolErrorsThatNameTheArgument(string tool, string name, object value, string message)
    {
        await using var client = await ConnectAsync("mcp");
        var arguments = new Dictionary<string, object?> { ["gateway_id"] = "default", ["start"] = "2000-01-01", ["end"] = "2100-01-01", [name] = value };

        var result = await client.CallToolAsync(tool, arguments);

        Assert.True(result.IsError);
        Assert.Contains(message, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    private async Task<McpClient> ConnectAsync(string path, string token = GatewayServer.ManagementToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_env.Gateway.Address, path),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await McpClient.CreateAsync(transport);
    }

    private static async Task<JsonDocument> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.False(result.IsError is true, text);
        return JsonDocument.Parse(text);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static string ChatBody(string prompt, bool stream = false) =>
        $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""";

    private Task<string> SendChatAsync(string prompt, params (string Name, string Value)[] headers)
        => SendChatAsync(prompt, stream: false, headers);

    private async Task<string> SendChatAsync(string prompt, bool stream, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai"), "chat/completions"))
        {
            Content = new StringContent(ChatBody(prompt, stream), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-mcp-test");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _env.Gateway.Client.SendAsync(request);
        return response.Headers.GetValues("cf-aig-log-id").Single();
    }
}
