using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Management;

/// <summary>
/// The management quick start (docs/gateway-api.md#management-quick-start): <c>POST /api/management/gateways {"id","name"}</c> alone makes a working gateway with
/// the documented defaults, its name kept across restarts; Cloudflare's v4 path keeps its required fields.
/// </summary>
public sealed class QuickStartGatewayTests : IAsyncLifetime
{
    private const string QuickStartBody = """{"id":"my-first-gateway","name":"Primary App Gateway"}""";
    private const string Local = "api/management/gateways";
    private const string V4 = "client/v4/accounts/acct-1/ai-gateway/gateways";

    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    /// <summary>One raw request with the management token, the body sent byte for byte as given.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Root)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var client = new HttpClient { BaseAddress = _env.Gateway.Address };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayServer.ManagementToken);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private static HttpRequestMessage Chat()
    {
        var chat = new HttpRequestMessage(HttpMethod.Post, "v1/acct-1/my-first-gateway/openai/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        chat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-caller-openai");
        return chat;
    }

    private static void AssertDefaults(JsonElement gateway, string? name)
    {
        Assert.Equal("my-first-gateway", gateway.GetProperty("id").GetString());
        Assert.Equal(name, gateway.GetProperty("name").GetString());
        Assert.Equal(0, gateway.GetProperty("cache_ttl").GetInt32());
        Assert.False(gateway.GetProperty("cache_invalidate_on_update").GetBoolean());
        Assert.True(gateway.GetProperty("collect_logs").GetBoolean());
        Assert.Equal(0, gateway.GetProperty("rate_limiting_interval").GetInt32());
        Assert.Equal(0, gateway.GetProperty("rate_limiting_limit").GetInt32());
        Assert.False(gateway.GetProperty("authentication").GetBoolean());
        Assert.False(gateway.GetProperty("is_default").GetBoolean());
    }

    [Fact]
    public async Task TheQuickStartBody_CreatesAGatewayWithTheDefaults_ThatServesAndLogsARequest()
    {
        var (status, root) = await SendAsync(HttpMethod.Post, Local, QuickStartBody);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        AssertDefaults(root.GetProperty("result"), "Primary App Gateway");

        using var response = await _env.Gateway.Client.SendAsync(Chat());
        using var again = await _env.Gateway.Client.SendAsync(Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // Cache off: the same request twice is answered by the provider both times.
        Assert.False(again.Headers.TryGetValues("cf-aig-cache-status", out var cache) && cache.Single() == "HIT");
        var row = await _env.Gateway.WaitForLogRowAsync(response.Headers.GetValues("cf-aig-log-id").Single());
        Assert.Equal("my-first-gateway", row.GatewayId);
        Assert.Equal("openai", row.Provider);
        Assert.True(row.Success);
    }

    [Fact]
    public async Task AnIdAlone_IsEnough_AndTheNameIsNull()
    {
        var (status, root) = await SendAsync(HttpMethod.Post, Local, """{"id":"my-first-gateway"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        AssertDefaults(root.GetProperty("result"), null);
    }

    [Fact]
    public async Task TheName_IsReturnedByGetListAndUpdates_AndSurvivesARestart()
    {
        await SendAsync(HttpMethod.Post, Local, QuickStartBody);

        var (_, got) = await SendAsync(HttpMethod.Get, $"{Local}/my-first-gateway");
        Assert.Equal("Primary App Gateway", got.GetProperty("result").GetProperty("name").GetString());
        var (_, listed) = await SendAsync(HttpMethod.Get, $"{V4}?search=my-first");
        Assert.Equal("Primary App Gateway", Assert.Single(listed.GetProperty("result").EnumerateArray()).GetProperty("name").GetString());

        var (_, patched) = await SendAsync(HttpMethod.Patch, $"{Local}/my-first-gateway", """{"cache_ttl":60}""");
        Assert.Equal("Primary App Gateway", patched.GetProperty("result").GetProperty("name").GetString());
        Assert.Equal(60, patched.GetProperty("result").GetProperty("cache_ttl").GetInt32());
        var (_, renamed) = await SendAsync(HttpMethod.Patch, $"{Local}/my-first-gateway", """{"name":"Renamed"}""");
        Assert.Equal("Renamed", renamed.GetProperty("result").GetProperty("name").GetString());

        await _env.RestartGatewayAsync();

        var (status, after) = await SendAsync(HttpMethod.Get, $"{Local}/my-first-gateway");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Renamed", after.GetProperty("result").GetProperty("name").GetString());
        Assert.Equal(60, after.GetProperty("result").GetProperty("cache_ttl").GetInt32());
        var (_, list) = await SendAsync(HttpMethod.Get, Local);
        Assert.Contains(list.GetProperty("result").EnumerateArray(), g => g.GetProperty("name").GetString() == "Renamed");
    }

    [Fact]
    public async Task TheV4Path_StillRefusesABodyWithoutCloudflaresRequiredFields()
    {
        var (status, root) = await SendAsync(HttpMethod.Post, V4, QuickStartBody);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(root.GetProperty("success").GetBoolean());
        var fields = root.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path")[0].GetString()).Order();
        Assert.Equal(["cache_invalidate_on_update", "cache_ttl", "collect_logs", "rate_limiting_interval", "rate_limiting_limit"], fields);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"{Local}/my-first-gateway")).Status);
    }

    [Theory]
    [InlineData("""{"name":"No id"}""", "id")]
    [InlineData("""{"id":"my-first-gateway","name":42}""", "name")]
    [InlineData("""{"id":"My First Gateway"}""", "id")]
    [InlineData("""{"id":"my-first-gateway","cache_ttl":-1}""", "cache_ttl")]
    public async Task AQuickStartBody_WithABadField_Is400OnThatField(string body, string field)
    {
        var (status, root) = await SendAsync(HttpMethod.Post, Local, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("path")[0].GetString());
    }

    [Fact]
    public async Task ANameLongerThan256Characters_IsRefused()
    {
        var (status, root) = await SendAsync(HttpMethod.Post, Local, $$"""{"id":"my-first-gateway","name":"{{new string('n', 257)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("name", root.GetProperty("errors")[0].GetProperty("path")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, Local, $$"""{"id":"my-first-gateway","name":"{{new string('n', 256)}}"}""")).Status);
    }
}
