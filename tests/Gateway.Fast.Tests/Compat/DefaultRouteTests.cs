using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat;

/// <summary>The default gateway's OpenAI-style shortcuts: <c>/v1/chat/completions</c> routed by model, and the catalog questions.</summary>
public sealed class DefaultRouteTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public DefaultRouteTests(GatewayWithSimulator env) => _env = env;

    private HttpClient Client => _env.Gateway.Client;

    [Theory]
    [InlineData("gpt-4o-mini", "openai")]
    [InlineData("@cf/meta/llama-3.1-8b-instruct", "workers-ai")]
    [InlineData("deepseek-chat", "deepseek")]
    [InlineData("groq/llama-3.1-8b-instant", "groq")]
    public async Task OpenAISdk_WithTheGatewayAsBaseUrl_RoutesByModel(string model, string provider)
    {
        var client = new ChatClient(model, new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(_env.Gateway.Address, "v1/") });
        var result = await client.CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.False(string.IsNullOrEmpty(result.Value.Content[0].Text));
        Assert.True(result.GetRawResponse().Headers.TryGetValue("cf-aig-provider", out string? routed));
        Assert.Equal(provider, routed);
    }

    [Fact]
    public async Task AnExplicitProviderField_Wins()
    {
        using var response = await Client.PostAsync("v1/chat/completions",
            JsonContent.Create(new { provider = "groq", model = "gpt-4o-mini", messages = new[] { new { role = "user", content = "hi" } } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("groq", response.Headers.GetValues("cf-aig-provider").Single());
    }

    [Fact]
    public async Task AnUnknownModel_Gets400_NamingThePatterns()
    {
        using var response = await Client.PostAsync("v1/chat/completions",
            JsonContent.Create(new { model = "totally-unknown-model", messages = new[] { new { role = "user", content = "hi" } } }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("claude-*", message);
        Assert.Contains("@cf/*", message);
    }

    [Fact]
    public async Task LegacyCompletions_GoToOpenAI()
    {
        using var response = await Client.PostAsync("v1/completions", JsonContent.Create(new { model = "gpt-3.5-turbo-instruct", prompt = "Say hi" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("text_completion", body.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Embeddings_RouteByModel()
    {
        using var response = await Client.PostAsync("v1/embeddings", JsonContent.Create(new { model = "text-embedding-3-small", input = "hello" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("data")[0].GetProperty("embedding").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Models_ListsTheCatalogAsProviderSlashModel()
    {
        using var body = JsonDocument.Parse(await Client.GetStringAsync("v1/models"));

        Assert.Equal("list", body.RootElement.GetProperty("object").GetString());
        var ids = body.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("openai/gpt-4o-mini", ids);
    }

    [Fact]
    public async Task ModelOptions_ListsProvidersAndPatterns()
    {
        using var body = JsonDocument.Parse(await Client.GetStringAsync("v1/model-options"));

        var anthropic = body.RootElement.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "anthropic");
        Assert.True(anthropic.GetProperty("translated").GetBoolean());
        Assert.Contains("claude-*", anthropic.GetProperty("patterns").EnumerateArray().Select(p => p.GetString()));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "anthropic", "claude-*")]
    [InlineData("gemini-2.5-flash", "google-ai-studio", "*gemini*")]
    [InlineData("@cf/meta/llama-3.1-8b-instruct", "workers-ai", "@cf/*")]
    [InlineData("nova-pro", "aws-bedrock", "nova-*")]
    public async Task RouteCheck_SaysWhereAModelGoesAndWhy(string model, string provider, string pattern)
    {
        using var body = JsonDocument.Parse(await Client.GetStringAsync("v1/route-check?model=" + Uri.EscapeDataString(model)));

        Assert.Equal(provider, body.RootElement.GetProperty("provider").GetString());
        Assert.Equal(pattern, body.RootElement.GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task RouteCheck_WithoutAModel_Is400()
    {
        using var response = await Client.GetAsync("v1/route-check");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Tokenize_CountsWithTheO200kTokenizer()
    {
        using var response = await Client.PostAsync("v1/tokenize", JsonContent.Create(new { model = "gpt-4o", text = "Hello, world!" }));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, body.RootElement.GetProperty("tokens").GetInt32()); // "Hello" "," " world" "!"
        Assert.Equal("o200k_base", body.RootElement.GetProperty("tokenizer").GetString());
    }
}
