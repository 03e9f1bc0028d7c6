using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Fast.Tests.Access;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat;

/// <summary>
/// The OpenAI-format base paths for team keys (docs/gateway-api.md#team-base-paths): a team key in, the provider key held by the gateway out, per-key limits and
/// allowed models, the team on the log row.
/// </summary>
public sealed class TeamBasePathTests : IAsyncLifetime
{
    private const string AnthropicSecret = "sk-ant-held-by-gateway-77";
    private readonly GatewayWithSimulator _env = new();

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();
        using var management = _env.Gateway.ManagementClient();
        using (var patch = await management.PatchAsJsonAsync("api/management/gateways/default", new { authentication = true }))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        }

        var stored = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "default", new { provider_slug = "anthropic", secret = AnthropicSecret });
        Assert.Equal(HttpStatusCode.OK, stored.Status);
        stored = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "default", new { provider_slug = "openai", secret = "sk-openai-held-1" });
        Assert.Equal(HttpStatusCode.OK, stored.Status);
    }

    public Task DisposeAsync() => _env.DisposeAsync();

    private async Task<(string Id, string Key)> TeamKeyAsync(string team, bool limited, object? limits = null)
    {
        using var management = _env.Gateway.ManagementClient();
        using var created = await management.PostAsJsonAsync("tokens", new { teamId = team, name = team + "-svc", limited });
        var result = await AccessApi.BareAsync(created);
        string id = result.GetProperty("id").GetString()!;
        if (limits is not null)
        {
            using var patch = await management.PatchAsJsonAsync($"api/management/tokens/{id}", limits);
            await AccessApi.ResultAsync(patch);
        }

        return (id, result.GetProperty("apiKey").GetString()!);
    }

    private HttpRequestMessage Chat(string path, string key, string model, string? reflect = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new { model, messages = new[] { new { role = "user", content = "Hi" } } }),
        };
        request.Headers.Add("Authorization", "Bearer " + key);
        if (reflect is not null)
        {
            request.Headers.Add("x-sim-reflect", reflect);
        }

        return request;
    }

    [Fact]
    public async Task ATeamKey_CallsAnthropic_WithTheStoredKey_InOpenAIShape()
    {
        var (_, key) = await TeamKeyAsync("t-anthropic", limited: false);
        using var response = await _env.Gateway.Client.SendAsync(Chat("anthropic/v1/chat/completions", key, "claude-sonnet-4-5", "x-api-key,authorization"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AnthropicSecret, response.Headers.GetValues("x-sim-reflected-x-api-key").Single());
        Assert.False(response.Headers.Contains("x-sim-reflected-authorization"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());
        Assert.DoesNotContain(key, body.RootElement.GetRawText());
    }

    [Fact]
    public async Task TheOpenAISdk_WithATeamKey_Works()
    {
        var (_, key) = await TeamKeyAsync("t-sdk", limited: false);
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(key),
            new OpenAIClientOptions { Endpoint = new Uri(_env.Gateway.Address, "openai/v1/") });

        var result = await client.CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.False(string.IsNullOrWhiteSpace(result.Value.Content[0].Text));
        var row = await _env.Gateway.WaitForLogRowAsync(result.GetRawResponse().Headers.TryGetValue("cf-aig-log-id", out var id) ? id! : "");
        Assert.Equal("openai", row.Provider);
        Assert.Equal("compat", row.RequestType);
        Assert.Equal("t-sdk", row.TeamId);
        Assert.Equal("t-sdk-svc", row.TeamName);
    }

    [Fact]
    public async Task AnUnknownKey_Is401_InOpenAIShape()
    {
        using var response = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", "sk_" + new string('0', 64), "gpt-4o-mini"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2009, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ALimitedKey_GetsOnlyItsModels()
    {
        var (_, key) = await TeamKeyAsync("t-models", limited: true, new { allowed_models = new[] { "gpt-4o-mini" } });

        using var refused = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", key, "gpt-4o"));
        using var allowed = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", key, "gpt-4o-mini"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("2015", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task ALimitedKey_HasItsOwnRateLimit()
    {
        var (_, key) = await TeamKeyAsync("t-rate", limited: true, new { rate_limit = 2, rate_limit_period = 3600 });
        var (_, other) = await TeamKeyAsync("t-rate-other", limited: false);

        using var first = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", key, "gpt-4o-mini"));
        using var second = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", key, "gpt-4o-mini"));
        using var third = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", key, "gpt-4o-mini"));
        using var otherTeam = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", other, "gpt-4o-mini"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.OK, otherTeam.StatusCode);
    }

    [Fact]
    public async Task ARevokedKey_FailsAtOnce()
    {
        var (_, key) = await TeamKeyAsync("t-revoke", limited: false);
        using var management = _env.Gateway.ManagementClient();
        using (var revoke = await management.DeleteAsync($"tokens/{key}"))
        {
            Assert.True(revoke.IsSuccessStatusCode);
        }

        using var response = await _env.Gateway.Client.SendAsync(Chat("openai/v1/chat/completions", key, "gpt-4o-mini"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
