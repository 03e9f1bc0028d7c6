using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>Each bad input gets the right status and the error body of the caller's own API.</summary>
public sealed class ErrorShapeTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public ErrorShapeTests(GatewayWithSimulator env) => _env = env;

    private static StringContent ChatBody() => new("""{"model":"m","messages":[]}""", Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static void AssertCloudflare(JsonElement body, int status, int code)
    {
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(code, body.GetProperty("error")[0].GetProperty("code").GetInt32());
        Assert.Equal(status, body.GetProperty("httpCode").GetInt32());
        Assert.Equal("AiGatewayError", body.GetProperty("name").GetString());
    }

    private static void AssertOpenAI(JsonElement body, int code)
    {
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task UnknownProvider_Is400WithCode2008InCloudflaresShape()
    {
        using var response = await _env.Gateway.Client.PostAsync("v1/a/default/not-a-provider/chat/completions", ChatBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertCloudflare(await ReadJsonAsync(response), 400, 2008);
        Assert.True(response.Headers.Contains("cf-aig-log-id"));
    }

    [Fact]
    public async Task UnknownGateway_OnOpenAIRoute_IsOpenAIShaped2001()
    {
        using var response = await _env.Gateway.Client.PostAsync("v1/a/missing-gw/openai/chat/completions", ChatBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOpenAI(await ReadJsonAsync(response), 2001);
    }

    [Fact]
    public async Task UnknownGateway_OnAnthropicRoute_IsAnthropicShaped()
    {
        using var response = await _env.Gateway.Client.PostAsync("v1/a/missing-gw/anthropic/v1/messages", ChatBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task UnknownGateway_OnOtherProviders_IsCloudflareShaped()
    {
        using var response = await _env.Gateway.Client.PostAsync("v1/a/missing-gw/groq/chat/completions", ChatBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertCloudflare(await ReadJsonAsync(response), 400, 2001);
    }

    [Theory]
    [InlineData("v1/acct")]
    [InlineData("v1/acct/gw/openai//chat")]
    [InlineData("v1/a/default/azure-openai/only-resource")]
    public async Task MalformedPaths_Are400(string path)
    {
        using var response = await _env.Gateway.Client.PostAsync(path, ChatBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2000, (await ReadJsonAsync(response)).GetProperty("error")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task CompatEndpointsNotServed_Answer501RatherThanPretend()
    {
        using var compat = await _env.Gateway.Client.PostAsync("v1/a/default/compat/images/generations", ChatBody());

        Assert.Equal(HttpStatusCode.NotImplemented, compat.StatusCode);
        AssertOpenAI(await ReadJsonAsync(compat), 2011);
    }

    [Fact]
    public async Task UpstreamTimeout_Is504InTheCallersShape()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai"), "chat/completions")) { Content = ChatBody() };
        request.Headers.Add("cf-aig-request-timeout", "100");
        request.Headers.Add("x-sim-delay-ms", "30000");

        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        AssertOpenAI(await ReadJsonAsync(response), 2005);
    }

    [Fact]
    public async Task UnreachableUpstream_Is502()
    {
        using var data = new TempDirectory();
        await using var gateway = await GatewayServer.StartAsync(_env.Simulator, data.Path, new Dictionary<string, string?>
        {
            ["Gateway:Providers:anthropic:BaseUrl"] = "http://127.0.0.1:1", // nothing listens on port 1
        });

        using var response = await gateway.Client.PostAsync("v1/a/default/anthropic/v1/messages", ChatBody());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("api_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task BodyOverTheLimit_WithContentLength_Is413()
    {
        using var data = new TempDirectory();
        await using var gateway = await StartWithBodyLimitAsync(data);

        using var response = await gateway.Client.PostAsync("v1/a/default/openai/chat/completions",
            new StringContent(BigBody, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertOpenAI(await ReadJsonAsync(response), 2010);
    }

    [Fact]
    public async Task BodyOverTheLimit_Chunked_Is413()
    {
        using var data = new TempDirectory();
        await using var gateway = await StartWithBodyLimitAsync(data);
        var chunked = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(BigBody)));
        chunked.Headers.ContentType = new("application/json");

        using var response = await gateway.Client.PostAsync("v1/a/default/openai/chat/completions", chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertOpenAI(await ReadJsonAsync(response), 2010);
    }

    private static readonly string BigBody = "{\"model\":\"m\",\"pad\":\"" + new string('x', 4096) + "\"}";

    private Task<GatewayServer> StartWithBodyLimitAsync(TempDirectory data)
        => GatewayServer.StartAsync(_env.Simulator, data.Path, new Dictionary<string, string?> { ["Gateway:MaxRequestBodyBytes"] = "1024" });

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
