using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Access;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Gateway.Fast.Tests.Compat;

/// <summary>
/// The team base paths as SDKs call them: with base URL <c>http://host/openai</c> the OpenAI SDK posts to
/// <c>/openai/chat/completions</c>, which routes exactly as <c>/openai/v1/chat/completions</c>; <c>models</c> lists the
/// provider's models under both forms.
/// </summary>
public sealed class TeamBasePathWithoutV1Tests : IAsyncLifetime
{
    private const string AnthropicSecret = "sk-ant-held-for-base-paths";
    private readonly GatewayWithSimulator _env = new();
    private string _teamKey = "";

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();
        using (var management = _env.Gateway.ManagementClient())
        using (var patch = await management.PatchAsJsonAsync("api/management/gateways/default", new { authentication = true }))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync()); // a gateway holds keys only behind authentication
        }

        var stored = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "default", new { provider_slug = "anthropic", secret = AnthropicSecret });
        Assert.Equal(HttpStatusCode.OK, stored.Status);
        stored = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "default", new { provider_slug = "openai", secret = "sk-openai-held-2" });
        Assert.Equal(HttpStatusCode.OK, stored.Status);
        _teamKey = await TeamKeyAsync("t-sdk-base", limited: false);
    }

    public Task DisposeAsync() => _env.DisposeAsync();

    private async Task<string> TeamKeyAsync(string team, bool limited, object? limits = null)
    {
        using var management = _env.Gateway.ManagementClient();
        using var created = await management.PostAsJsonAsync("tokens", new { teamId = team, name = team + "-svc", limited });
        var result = await AccessApi.BareAsync(created);
        if (limits is not null)
        {
            using var patch = await management.PatchAsJsonAsync($"api/management/tokens/{result.GetProperty("id").GetString()}", limits);
            await AccessApi.ResultAsync(patch);
        }

        return result.GetProperty("apiKey").GetString()!;
    }

    /// <summary>What a user writes: the base path with no <c>/v1</c> and no trailing slash.</summary>
    private OpenAIClientOptions OpenAIBase() => new() { Endpoint = new Uri($"http://127.0.0.1:{_env.Gateway.Address.Port}/openai") };

    [Fact]
    public async Task TheOpenAISdk_OnTheBasePathWithoutV1_Chats()
    {
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(_teamKey), OpenAIBase());

        var result = await client.CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.False(string.IsNullOrWhiteSpace(result.Value.Content[0].Text));
        var raw = result.GetRawResponse();
        Assert.Equal("openai", raw.Headers.TryGetValue("cf-aig-provider", out var provider) ? provider : null);
        var row = await _env.Gateway.WaitForLogRowAsync(raw.Headers.TryGetValue("cf-aig-log-id", out var id) ? id! : "");
        Assert.Equal("openai", row.Provider);
        Assert.Equal("t-sdk-base", row.TeamId);
    }

    [Fact]
    public async Task TheOpenAISdk_OnTheBasePathWithoutV1_Streams()
    {
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(_teamKey), OpenAIBase());
        var text = new StringBuilder();
        int updates = 0;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.True(updates > 1, $"{updates} updates");
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
    }

    [Fact]
    public async Task TheOpenAISdk_OnTheBasePathWithoutV1_Embeds()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(_teamKey), OpenAIBase());

        var result = await client.GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, result.Value.Count);
        Assert.False(result.Value[0].ToFloats().IsEmpty);
    }

    [Fact]
    public async Task TheOpenAISdk_OnTheBasePathWithoutV1_ListsTheProvidersModels()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(_teamKey), OpenAIBase());

        var models = (await client.GetModelsAsync()).Value;

        Assert.Contains(models, m => m.Id == "gpt-4o-mini" && m.OwnedBy == "openai");
        Assert.DoesNotContain(models, m => m.Id.Contains('/') || m.Id.StartsWith("claude", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("anthropic/chat/completions")]
    [InlineData("anthropic/v1/chat/completions")]
    public async Task Anthropic_WithAndWithoutV1_IsTranslatedWithTheStoredKey(string path)
    {
        using var request = Post(path, _teamKey, new { model = "claude-sonnet-4-5", messages = new[] { new { role = "user", content = "Hi" } } });
        request.Headers.Add("x-sim-reflect", "x-api-key,authorization");

        using var response = await _env.Gateway.Client.SendAsync(request);

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(AnthropicSecret, response.Headers.GetValues("x-sim-reflected-x-api-key").Single());
        Assert.False(response.Headers.Contains("x-sim-reflected-authorization"));
        using var body = JsonDocument.Parse(text);
        Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());
        Assert.Equal("anthropic", response.Headers.GetValues("cf-aig-provider").Single());
    }

    [Fact]
    public async Task Anthropic_StreamedWithoutV1_IsOpenAISse()
    {
        using var request = Post("anthropic/chat/completions", _teamKey,
            new { model = "claude-sonnet-4-5", stream = true, messages = new[] { new { role = "user", content = "Hi" } } });

        using var response = await _env.Gateway.Client.SendAsync(request);

        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"object\":\"chat.completion.chunk\"", text);
        Assert.EndsWith("data: [DONE]\n\n", text);
    }

    [Fact]
    public async Task Models_WithAndWithoutV1_AnswerTheSameList()
    {
        using var withV1 = await _env.Gateway.Client.SendAsync(Get("anthropic/v1/models", _teamKey));
        using var without = await _env.Gateway.Client.SendAsync(Get("anthropic/models", _teamKey));

        Assert.Equal(HttpStatusCode.OK, withV1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, without.StatusCode);
        string list = await withV1.Content.ReadAsStringAsync();
        Assert.Equal(list, await without.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(list);
        Assert.Equal("list", body.RootElement.GetProperty("object").GetString());
        var data = body.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(data);
        Assert.All(data, m => Assert.Equal("anthropic", m.GetProperty("owned_by").GetString()));
        Assert.Contains(data, m => m.GetProperty("id").GetString() == "claude-sonnet-4-5");
    }

    [Fact]
    public async Task Models_OfALimitedKey_AreOnlyItsAllowedModels()
    {
        string limited = await TeamKeyAsync("t-models-list", limited: true, new { allowed_models = new[] { "gpt-4o-mini" } });

        using var response = await _env.Gateway.Client.SendAsync(Get("openai/models", limited));

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = body.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["gpt-4o-mini"], ids);
    }

    [Theory]
    [InlineData("openai/models")]
    [InlineData("openai/v1/models")]
    [InlineData("openai/chat/completions")]
    public async Task WithoutATeamKey_BothForms_Are401_InOpenAIShape(string path)
    {
        using var response = await _env.Gateway.Client.SendAsync(Get(path, "sk_" + new string('0', 64)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2009, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task OtherPaths_KeepTheirOwners()
    {
        // The default route's list (every provider, prefixed), the management API, health: none answered by the base paths.
        using var defaultModels = await _env.Gateway.Client.GetAsync("v1/models");
        Assert.Equal(HttpStatusCode.OK, defaultModels.StatusCode);
        Assert.Contains("\"openai/gpt-4o-mini\"", await defaultModels.Content.ReadAsStringAsync());

        using var management = _env.Gateway.ManagementClient();
        using var tokens = await management.GetAsync("tokens");
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        using var health = await _env.Gateway.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Under a provider segment, only the four endpoints are taken without v1/.
        using var other = await _env.Gateway.Client.SendAsync(Post("openai/responses", _teamKey, new { model = "gpt-4o-mini" }));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.False(other.Headers.Contains("cf-aig-log-id"));
    }

    private static HttpRequestMessage Post(string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Authorization", "Bearer " + key);
        return request;
    }

    private static HttpRequestMessage Get(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Authorization", "Bearer " + key);
        return request;
    }
}
