using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat;

/// <summary>The unified API (<c>/compat</c>) to the OpenAI-compatible providers, with the official OpenAI SDK and raw HTTP.</summary>
public sealed class CompatRouteTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public CompatRouteTests(GatewayWithSimulator env) => _env = env;

    private Uri CompatUrl(string gateway = "default") => new(_env.Gateway.Address, $"v1/test-account/{gateway}/compat/");

    private ChatClient Chat(string model) =>
        new(model, new ApiKeyCredential("sk-test-key"), new OpenAIClientOptions { Endpoint = CompatUrl() });

    [Theory]
    [InlineData("openai/gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("groq/llama-3.1-8b-instant", "llama-3.1-8b-instant")]
    [InlineData("mistral/mistral-small-latest", "mistral-small-latest")]
    [InlineData("deepseek/deepseek-chat", "deepseek-chat")]
    [InlineData("grok/grok-3-mini", "grok-3-mini")]
    [InlineData("perplexity/sonar", "sonar")]
    [InlineData("openrouter/meta-llama/llama-3.1-8b-instruct", "meta-llama/llama-3.1-8b-instruct")]
    [InlineData("cerebras/llama3.1-8b", "llama3.1-8b")]
    [InlineData("workers-ai/@cf/meta/llama-3.1-8b-instruct", "@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("azure-openai/my-resource/my-deployment", "my-resource/my-deployment")]
    [InlineData("baseten/deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3")]
    public async Task OpenAISdk_CompletesThroughCompat(string model, string nativeModel)
    {
        var result = await Chat(model).CompleteChatAsync([new UserChatMessage("Say hello")]);
        ChatCompletion completion = result.Value;

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        var raw = result.GetRawResponse();
        Assert.Equal(nativeModel, raw.Headers.TryGetValue("cf-aig-model", out string? m) ? m : null);
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("groq/llama-3.1-8b-instant")]
    [InlineData("mistral/mistral-small-latest")]
    [InlineData("deepseek/deepseek-chat")]
    [InlineData("grok/grok-3-mini")]
    [InlineData("perplexity/sonar")]
    [InlineData("openrouter/meta-llama/llama-3.1-8b-instruct")]
    [InlineData("cerebras/llama3.1-8b")]
    [InlineData("workers-ai/@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("azure-openai/my-resource/my-deployment")]
    [InlineData("baseten/deepseek-ai/DeepSeek-V3")]
    public async Task OpenAISdk_StreamsThroughCompat_WithUsage(string model)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage!.OutputTokenCount > 0);
    }

    [Fact]
    public async Task AModelWithoutPrefix_Gets2019InOpenAIShape()
    {
        using var response = await _env.Gateway.Client.PostAsync(new Uri(CompatUrl(), "chat/completions"),
            JsonContent.Create(new { model = "gpt-4o-mini", messages = new[] { new { role = "user", content = "hi" } } }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(2019, error.GetProperty("code").GetInt32());
        Assert.Contains("{provider}/{model}", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnUnknownPrefix_Gets2008_AndBadJson2019()
    {
        using var unknown = await _env.Gateway.Client.PostAsync(new Uri(CompatUrl(), "chat/completions"),
            JsonContent.Create(new { model = "nosuch/model", messages = Array.Empty<object>() }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("2008", await unknown.Content.ReadAsStringAsync());

        using var bad = await _env.Gateway.Client.PostAsync(new Uri(CompatUrl(), "chat/completions"),
            new StringContent("{\"model\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var body = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal(2019, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task AnUnknownGateway_Gets2001_AndAnotherEndpoint501()
    {
        using var gateway = await _env.Gateway.Client.PostAsync(new Uri(CompatUrl("no-such-gateway"), "chat/completions"),
            JsonContent.Create(new { model = "openai/gpt-4o-mini", messages = Array.Empty<object>() }));
        Assert.Equal(HttpStatusCode.BadRequest, gateway.StatusCode);
        Assert.Contains("2001", await gateway.Content.ReadAsStringAsync());

        using var other = await _env.Gateway.Client.PostAsync(new Uri(CompatUrl(), "images/generations"),
            JsonContent.Create(new { model = "openai/dall-e-3" }));
        Assert.Equal((HttpStatusCode)501, other.StatusCode);
    }

    [Fact]
    public async Task ProviderErrors_PassThroughWithTheirStatus()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(CompatUrl(), "chat/completions"))
        {
            Content = JsonContent.Create(new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Add("x-sim-status", "429");
        request.Headers.Add("cf-aig-max-attempts", "1");
        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task EachRequest_IsLoggedAsCompat_WithTheNativeModelAndUsage()
    {
        var result = await Chat("openai/gpt-4o-mini").CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("cf-aig-log-id", out string? id));

        var row = await _env.Gateway.WaitForLogRowAsync(id!);
        Assert.Equal("compat", row.RequestType);
        Assert.Equal("openai", row.Provider);
        Assert.Equal("gpt-4o-mini", row.Model);
        Assert.True(row.TokensOut > 0);
        Assert.False(row.TokensEstimated);
        Assert.True(row.Cost > 0);
    }

    [Fact]
    public async Task ASecondIdenticalCall_IsACacheHit()
    {
        var body = new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = "cache me " + Guid.NewGuid() } } };
        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(CompatUrl(), "chat/completions")) { Content = JsonContent.Create(body) };
            request.Headers.Add("cf-aig-cache-ttl", "300");
            return await _env.Gateway.Client.SendAsync(request);
        }

        using var first = await Send();
        using var second = await Send();

        Assert.Equal("MISS", first.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Equal("HIT", second.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }
}

/// <summary>What reaches an OpenAI-compatible provider through <c>/compat</c>: only its model changes, the key goes as its native header, other caller headers pass.</summary>
public sealed class CompatUpstreamRequestTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private Gateway.Fast.Simulator.SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _simulator = await Gateway.Fast.Simulator.SimulatorHost.StartAsync();
        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path, new Dictionary<string, string?>
        {
            ["Gateway:Providers:mistral:BaseUrl"] = _simulator.BaseUrl + "/echo",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task TheBodyKeepsEverythingButTheModel_AndTheKeyBecomesABearer()
    {
        const string sent = "{\"model\":\"mistral/mistral-small-latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}";
        const string expected = "{\"model\":\"mistral-small-latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Address, "v1/acct/default/compat/chat/completions"))
        {
            Content = new StringContent(sent, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-mistral-key");
        request.Headers.Add("x-caller-header", "forwarded");
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = echo.RootElement;
        Assert.Equal("/echo/v1/chat/completions", root.GetProperty("path").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))), root.GetProperty("body_sha256").GetString());
        var headers = root.GetProperty("headers");
        Assert.Equal("Bearer sk-mistral-key", headers.GetProperty("authorization")[0].GetString());
        Assert.False(headers.TryGetProperty("x-api-key", out _));
        Assert.Equal("forwarded", headers.GetProperty("x-caller-header")[0].GetString());
        Assert.False(headers.TryGetProperty("accept-encoding", out _));
        Assert.Equal("application/json", headers.GetProperty("content-type")[0].GetString());
    }

    [Fact]
    public async Task TheDefaultRoutes_DropTheirProviderField()
    {
        const string sent = "{\"provider\":\"mistral\",\"model\":\"my-model\",\"messages\":[]}";
        const string expected = "{\"model\":\"my-model\",\"messages\":[]}";
        using var response = await _gateway.Client.PostAsync(new Uri(_gateway.Address, "v1/chat/completions"),
            new StringContent(sent, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))), echo.RootElement.GetProperty("body_sha256").GetString());
    }
}
