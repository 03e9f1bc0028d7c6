using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Access;

/// <summary>
/// <c>POST /tokens</c> and <c>POST /tokens/{key}/refresh</c> answer as a team-key proxy does (docs/gateway-api.md#team-api-keys): the key object at the
/// top level, which a client then uses on a team base path; the management token is still required.
/// </summary>
public sealed class TeamKeyProxyShapeTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();

        // The team base paths call the provider with the key the gateway `default` stores; a gateway holding keys needs auth on.
        using var management = _env.Gateway.ManagementClient();
        using (var patch = await management.PatchAsJsonAsync("api/management/gateways/default", new { authentication = true }))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        }

        var stored = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "default", new { provider_slug = "openai", secret = "sk-openai-held-by-gateway" });
        Assert.Equal(HttpStatusCode.OK, stored.Status);
    }

    public Task DisposeAsync() => _env.DisposeAsync();

    /// <summary>A raw POST, as a fetch-based client sends it, with the management token unless told otherwise.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Root)> PostAsync(string path, string? body, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (withToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayServer.ManagementToken);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _env.Gateway.Client.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private async Task<HttpStatusCode> ChatAsync(string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "openai/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await _env.Gateway.Client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());
        }

        return response.StatusCode;
    }

    [Fact]
    public async Task PostTokens_ReturnsApiKeyAtTheTopLevel_AndTheKeyCallsATeamBasePath()
    {
        var (status, root) = await PostAsync("tokens", """{"teamId":"team-proxy","name":"backend","limited":false}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var apiKey = root.GetProperty("apiKey").GetString()!;
        Assert.Matches(new Regex("^sk_[0-9a-f]{64}$"), apiKey);
        Assert.Equal("team-proxy", root.GetProperty("teamId").GetString());
        Assert.Equal("backend", root.GetProperty("name").GetString());
        Assert.False(root.GetProperty("limited").GetBoolean());
        Assert.True(root.GetProperty("createdAt").TryGetDateTimeOffset(out _));
        Assert.False(root.TryGetProperty("success", out _));
        Assert.False(root.TryGetProperty("result", out _));

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(apiKey));
    }

    [Fact]
    public async Task Refresh_ReturnsANewTopLevelApiKey_AndTheOldKeyStopsWorking()
    {
        var (_, created) = await PostAsync("tokens", """{"teamId":"team-rotate","name":"svc","limited":true}""");
        var oldKey = created.GetProperty("apiKey").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(oldKey));

        var (status, refreshed) = await PostAsync($"tokens/{oldKey}/refresh", null);

        Assert.Equal(HttpStatusCode.OK, status);
        var newKey = refreshed.GetProperty("apiKey").GetString()!;
        Assert.Matches(new Regex("^sk_[0-9a-f]{64}$"), newKey);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal("team-rotate", refreshed.GetProperty("teamId").GetString());
        Assert.Equal("svc", refreshed.GetProperty("name").GetString());
        Assert.True(refreshed.GetProperty("limited").GetBoolean());
        Assert.True(refreshed.GetProperty("createdAt").TryGetDateTimeOffset(out _));
        Assert.False(refreshed.TryGetProperty("success", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(oldKey));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(newKey));
    }

    [Fact]
    public async Task WithoutTheManagementToken_CreateAndRefreshAre401_AndIssueNothing()
    {
        var (_, created) = await PostAsync("tokens", """{"teamId":"team-guarded","name":"svc"}""");
        var key = created.GetProperty("apiKey").GetString()!;

        var (createStatus, createRoot) = await PostAsync("tokens", """{"teamId":"team-guarded","name":"intruder"}""", withToken: false);
        var (refreshStatus, refreshRoot) = await PostAsync($"tokens/{key}/refresh", null, withToken: false);

        foreach (var (status, root) in new[] { (createStatus, createRoot), (refreshStatus, refreshRoot) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(10000, root.GetProperty("errors")[0].GetProperty("code").GetInt32());
            Assert.False(root.TryGetProperty("apiKey", out _));
        }

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(key)); // the refused refresh rotated nothing
    }

    [Fact]
    public async Task ErrorsOnTheBarePaths_AreJsonWithAStatusAMessageAndNoKey()
    {
        var (missingTeam, missingRoot) = await PostAsync("tokens", """{"name":"n"}""");
        var (notJson, notJsonRoot) = await PostAsync("tokens", "{not json");
        var unknown = "sk_" + new string('0', 64);
        var (unknownStatus, unknownRoot) = await PostAsync($"tokens/{unknown}/refresh", null);

        Assert.Equal(HttpStatusCode.BadRequest, missingTeam);
        Assert.Equal("teamId", missingRoot.GetProperty("errors")[0].GetProperty("path")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notJson);
        Assert.False(string.IsNullOrEmpty(notJsonRoot.GetProperty("errors")[0].GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("Team key not found", unknownRoot.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.DoesNotContain(unknown, unknownRoot.GetRawText());
        Assert.All(new[] { missingRoot, notJsonRoot, unknownRoot }, r => Assert.False(r.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task TheManagementPrefix_KeepsTheV4Envelope()
    {
        var (status, root) = await PostAsync("api/management/tokens", """{"teamId":"team-v4","name":"svc"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(root.GetProperty("success").GetBoolean());
        var key = root.GetProperty("result").GetProperty("apiKey").GetString()!;
        Assert.False(root.TryGetProperty("apiKey", out _));

        var (_, refreshed) = await PostAsync($"api/management/tokens/{key}/refresh", null);
        Assert.True(refreshed.GetProperty("success").GetBoolean());
        Assert.StartsWith("sk_", refreshed.GetProperty("result").GetProperty("apiKey").GetString());
    }
}
