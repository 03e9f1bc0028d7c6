using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>Every provider route of the catalog reaches the simulator's native API and comes back unchanged.</summary>
public sealed class ProviderPassthroughTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public ProviderPassthroughTests(GatewayWithSimulator env) => _env = env;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> PostAsync(string provider, string path, string body, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl(provider), path)) { Content = Json(body) };
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return await _env.Gateway.Client.SendAsync(request);
    }

    private const string ChatBody = """{"model":"m","messages":[{"role":"user","content":"Hello"}]}""";

    [Theory]
    [InlineData("openai", "chat/completions")]
    [InlineData("groq", "chat/completions")]
    [InlineData("mistral", "v1/chat/completions")]
    [InlineData("deepseek", "v1/chat/completions")]
    [InlineData("grok", "chat/completions")]
    [InlineData("openrouter", "chat/completions")]
    [InlineData("cerebras", "chat/completions")]
    [InlineData("azure-openai", "my-resource/my-deployment/chat/completions?api-version=2024-10-21")]
    [InlineData("workers-ai", "v1/chat/completions")]
    public async Task OpenAIShapedProviders_AnswerChatCompletions(string provider, string path)
    {
        using var response = await PostAsync(provider, path, ChatBody, ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
        Assert.True(doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", response.Headers.GetValues("cf-aig-log-id").Single());
    }

    [Fact]
    public async Task GoogleAiStudio_GenerateContentPassesThrough()
    {
        using var response = await PostAsync("google-ai-studio", "v1beta/models/gemini-2.5-flash:generateContent",
            """{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}""", ("x-goog-api-key", "g"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32() > 0);
    }

    [Fact]
    public async Task GoogleAiStudio_StreamGenerateContentArrivesAsSse()
    {
        using var response = await PostAsync("google-ai-studio", "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            """{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("usageMetadata", body);
        Assert.True(body.Split("data: ").Length > 3);
    }

    [Fact]
    public async Task WorkersAi_RunsACfModelUnderTheAccountOfTheUrl()
    {
        using var response = await PostAsync("workers-ai", "@cf/meta/llama-3.1-8b-instruct", """{"prompt":"Hello"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("result").GetProperty("response").GetString()));
    }

    [Fact]
    public async Task AnthropicMessages_PassThroughWithTheCallersKey()
    {
        using var response = await PostAsync("anthropic", "v1/messages",
            """{"model":"claude-sonnet-4-5","max_tokens":32,"messages":[{"role":"user","content":"Hi"}]}""",
            ("x-api-key", "sk-ant"), ("anthropic-version", "2023-06-01"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task BedrockConverse_PassesThroughToTheRegionalRuntime()
    {
        using var response = await PostAsync("aws-bedrock", "bedrock-runtime/us-east-1/model/amazon.nova-pro-v1:0/converse",
            """{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}""", ("Authorization", "AWS4-HMAC-SHA256 Credential=x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("usage").GetProperty("outputTokens").GetInt32() > 0);
    }

    [Fact]
    public async Task BedrockConverseStream_EventStreamBytesArriveUnchanged()
    {
        const string path = "model/amazon.nova-pro-v1:0/converse-stream";
        const string body = """{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}""";
        using var viaGateway = await PostAsync("aws-bedrock", "bedrock-runtime/us-east-1/" + path, body);
        using var direct = await new HttpClient().PostAsync(new Uri(_env.Simulator.BaseAddress, path), Json(body));

        Assert.Equal(HttpStatusCode.OK, viaGateway.StatusCode);
        Assert.Equal("application/vnd.amazon.eventstream", viaGateway.Content.Headers.ContentType!.MediaType);
        var gatewayBytes = await viaGateway.Content.ReadAsByteArrayAsync();
        var directBytes = await direct.Content.ReadAsByteArrayAsync();
        Assert.Equal(directBytes.Length, gatewayBytes.Length);
        Assert.Equal(directBytes[..12], gatewayBytes[..12]); // prelude of the first frame, CRC included
    }

    [Fact]
    public async Task CohereChat_GetsTheV1Prefix()
    {
        using var response = await PostAsync("cohere", "chat", """{"message":"Hello","model":"command-r"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenAIModels_GetPassesThrough()
    {
        using var response = await _env.Gateway.Client.GetAsync(new Uri(_env.ProviderUrl("openai"), "models"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Headers_CredentialsForwardedGatewayControlsAndHopByHopDropped()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("mistral"), "echo/some/path?x=1&y=two"))
        {
            Content = Json("""{"model":"m"}"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "provider-key");
        request.Headers.TryAddWithoutValidation("cf-aig-metadata", """{"team":"a"}""");
        request.Headers.TryAddWithoutValidation("cf-aig-event-id", "evt-1");
        request.Headers.TryAddWithoutValidation("x-custom", "kept");
        request.Headers.TryAddWithoutValidation("x-sim-echo-response-header-x-upstream", "from-upstream");

        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var echo = doc.RootElement;
        var headers = echo.GetProperty("headers");
        Assert.Equal("/echo/some/path", echo.GetProperty("path").GetString());
        Assert.Equal("?x=1&y=two", echo.GetProperty("query").GetString());
        Assert.Equal("Bearer provider-key", headers.GetProperty("authorization")[0].GetString());
        Assert.Equal("kept", headers.GetProperty("x-custom")[0].GetString());
        Assert.False(headers.TryGetProperty("cf-aig-metadata", out _));
        Assert.False(headers.TryGetProperty("cf-aig-event-id", out _));
        Assert.Equal(13, echo.GetProperty("body_length").GetInt32());
        Assert.Equal("from-upstream", response.Headers.GetValues("x-upstream").Single());
        Assert.Equal("evt-1", response.Headers.GetValues("cf-aig-event-id").Single());
        Assert.Equal("MISS", response.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Matches(@"^gateway;dur=[0-9.]+, upstream;dur=[0-9.]+$", response.Headers.GetValues("Server-Timing").Single());
    }

    [Fact]
    public async Task NonJsonBodies_StreamToTheUpstreamIntact()
    {
        var payload = new byte[300_000];
        new Random(42).NextBytes(payload);
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        using var response = await _env.Gateway.Client.PostAsync(new Uri(_env.ProviderUrl("elevenlabs"), "echo/upload"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(payload.Length, doc.RootElement.GetProperty("body_length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)),
            doc.RootElement.GetProperty("body_sha256").GetString());
    }

    [Fact]
    public async Task UpstreamErrors_PassThroughWithTheirStatusAndBody()
    {
        using var response = await PostAsync("openai", "chat/completions", ChatBody, ("x-sim-status", "429"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.TryGetProperty("error", out _));
        Assert.True(response.Headers.Contains("retry-after"));
    }
}
