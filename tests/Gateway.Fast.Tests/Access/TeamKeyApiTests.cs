using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Fast.Access;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Access;

/// <summary>Team keys (docs/gateway-api.md#team-api-keys) through the management API, checked against the store the proxy resolves them with.</summary>
public sealed class TeamKeyApiTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public TeamKeyApiTests(GatewayWithSimulator env) => _env = env;

    private TeamKeyStore Keys => _env.Gateway.Services.GetRequiredService<TeamKeyStore>();

    private async Task<JsonElement> CreateAsync(HttpClient management, string prefix, string teamId, string name, bool limited)
    {
        using var response = await management.PostAsJsonAsync(prefix, new { teamId, name, limited });
        return await AccessApi.TeamKeyAsync(response, prefix);
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("api/management/tokens")]
    public async Task Create_ReturnsAnSkKeyOnce_ThatResolvesToItsTeam(string prefix)
    {
        using var management = _env.Gateway.ManagementClient();
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];

        var created = await CreateAsync(management, prefix, team, "backend", limited: true);

        var apiKey = created.GetProperty("apiKey").GetString()!;
        Assert.Matches(new Regex("^sk_[0-9a-f]{64}$"), apiKey);
        Assert.Equal(team, created.GetProperty("teamId").GetString());
        Assert.Equal("backend", created.GetProperty("name").GetString());
        Assert.True(created.GetProperty("limited").GetBoolean());
        Assert.True(DateTimeOffset.TryParse(created.GetProperty("createdAt").GetString(), out _));
        Assert.True(Keys.TryResolve(apiKey, out var key));
        Assert.Equal(team, key.TeamId);
        Assert.Equal("backend", key.Name);
    }

    [Fact]
    public async Task List_ByTeam_ShowsHintsNeverKeys()
    {
        using var management = _env.Gateway.ManagementClient();
        var team = "team-" + Guid.NewGuid().ToString("N")[..8];
        var first = (await CreateAsync(management, "tokens", team, "one", false)).GetProperty("apiKey").GetString()!;
        var second = (await CreateAsync(management, "tokens", team, "two", false)).GetProperty("apiKey").GetString()!;
        await CreateAsync(management, "tokens", team + "-other", "three", false);

        using var response = await management.GetAsync($"tokens?teamId={team}");
        var text = await response.Content.ReadAsStringAsync();
        var list = (await AccessApi.ResultAsync(response)).EnumerateArray().ToList();

        Assert.Equal(["one", "two"], list.Select(k => k.GetProperty("name").GetString()));
        Assert.Equal([first[^4..], second[^4..]], list.Select(k => k.GetProperty("hint").GetString()));
        Assert.DoesNotContain(first, text);
        Assert.DoesNotContain(second, text);
        Assert.All(list, k => Assert.False(k.TryGetProperty("apiKey", out _)));
    }

    [Fact]
    public async Task Refresh_RotatesTheKey_OldFailsAtOnce_TeamAndSettingsKept()
    {
        using var management = _env.Gateway.ManagementClient();
        var created = await CreateAsync(management, "tokens", "team-rotate", "svc", limited: true);
        var oldKey = created.GetProperty("apiKey").GetString()!;
        using (var patch = await management.PatchAsJsonAsync($"api/management/tokens/{created.GetProperty("id").GetString()}",
                   new { rate_limit = 10, rate_limit_period = 60, allowed_models = new[] { "gpt-4o-mini" } }))
        {
            await AccessApi.ResultAsync(patch);
        }

        using var response = await management.PostAsync($"tokens/{oldKey}/refresh", null);
        var refreshed = await AccessApi.BareAsync(response);

        var newKey = refreshed.GetProperty("apiKey").GetString()!;
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(created.GetProperty("id").GetString(), refreshed.GetProperty("id").GetString());
        Assert.Equal("team-rotate", refreshed.GetProperty("teamId").GetString());
        Assert.Equal("svc", refreshed.GetProperty("name").GetString());
        Assert.False(Keys.TryResolve(oldKey, out _));
        Assert.True(Keys.TryResolve(newKey, out var key));
        Assert.True(key.TryGetRateLimit(out var policy));
        Assert.Equal((10, 60), (policy.Limit, policy.IntervalSeconds));
        Assert.True(key.AllowsModel("gpt-4o-mini"));
        Assert.False(key.AllowsModel("gpt-5"));

        using var again = await management.PostAsync($"tokens/{oldKey}/refresh", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain(oldKey, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revoke_MakesTheKeyFailAtOnce()
    {
        using var management = _env.Gateway.ManagementClient();
        var apiKey = (await CreateAsync(management, "api/management/tokens", "team-revoke", "svc", false)).GetProperty("apiKey").GetString()!;

        using var response = await management.DeleteAsync($"api/management/tokens/{apiKey}");

        var revoked = await AccessApi.ResultAsync(response);
        Assert.Equal("team-revoke", revoked.GetProperty("teamId").GetString());
        Assert.False(Keys.TryResolve(apiKey, out _));
        using var list = await management.GetAsync("tokens?teamId=team-revoke");
        Assert.Equal(0, (await AccessApi.ResultAsync(list)).GetArrayLength());
    }

    [Fact]
    public async Task Patch_RefusesBadValues_AndChangesNothing()
    {
        using var management = _env.Gateway.ManagementClient();
        var created = await CreateAsync(management, "tokens", "team-patch", "svc", true);
        var id = created.GetProperty("id").GetString()!;

        using var response = await management.PatchAsJsonAsync($"api/management/tokens/{id}",
            new { rate_limit = 5, rate_limit_period = -1, allowed_models = "gpt" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path")[0].GetString()).ToList();
        Assert.Equal(["rate_limit_period", "allowed_models"], paths);
        Assert.True(Keys.TryResolve(created.GetProperty("apiKey").GetString()!, out var key));
        Assert.Null(key.RateLimit);
    }

    [Fact]
    public async Task TeamKeyApi_NeedsTheManagementToken()
    {
        foreach (var path in new[] { "tokens", "api/management/tokens" })
        {
            using var response = await _env.Gateway.Client.PostAsJsonAsync(path, new { teamId = "t", name = "n", limited = false });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(10000, doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetInt32());
        }
    }

    [Fact]
    public async Task Create_WithoutTeamId_Is400()
    {
        using var management = _env.Gateway.ManagementClient();

        using var response = await management.PostAsJsonAsync("tokens", new { name = "n" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("teamId", doc.RootElement.GetProperty("errors")[0].GetProperty("path")[0].GetString());
    }
}
