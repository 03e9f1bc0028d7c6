using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Access;

/// <summary>Provider keys held by the gateway (BYOK): injected upstream, never returned, sealed on disk, kept across a restart.</summary>
public sealed class StoredKeyTests : IAsyncLifetime
{
    // Unique per run, so a match anywhere can only come from this test.
    private readonly string _openAiKey = "sk-stored-" + Guid.NewGuid().ToString("N");
    private readonly string _anthropicKey = "sk-ant-stored-" + Guid.NewGuid().ToString("N");
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private GatewayServer Gateway => _env.Gateway;

    private async Task<string> LockedGatewayWithKeysAsync(string id)
    {
        await AccessApi.CreateGatewayAsync(Gateway, id, authentication: true);
        var (_, token) = await AccessApi.CreateTokenAsync(Gateway, id);
        var (status, body) = await AccessApi.CreateProviderConfigAsync(Gateway, id, new { provider_slug = "mistral", secret = _openAiKey });
        Assert.True(status == HttpStatusCode.OK, body);
        (status, body) = await AccessApi.CreateProviderConfigAsync(Gateway, id, new { provider_slug = "anthropic", secret = _anthropicKey });
        Assert.True(status == HttpStatusCode.OK, body);
        return token;
    }

    [Fact]
    public async Task StoredKey_IsInjectedInTheProvidersOwnHeader_WhenTheCallerSendsNone()
    {
        var token = await LockedGatewayWithKeysAsync("byok");

        using (var bearer = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok/mistral/echo/chat",
                   ("cf-aig-authorization", "Bearer " + token), ("cf-aig-collect-log", "false"))))
        {
            var headers = await AccessApi.EchoedHeadersAsync(bearer);
            Assert.Equal("Bearer " + _openAiKey, headers.GetProperty("authorization")[0].GetString());
        }

        using (var apiKey = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok/anthropic/echo/v1/messages",
                   ("cf-aig-authorization", "Bearer " + token), ("cf-aig-collect-log", "false"))))
        {
            var headers = await AccessApi.EchoedHeadersAsync(apiKey);
            Assert.Equal(_anthropicKey, headers.GetProperty("x-api-key")[0].GetString());
            Assert.False(headers.TryGetProperty("authorization", out _));
        }
    }

    [Fact]
    public async Task GatewayTokenAsSdkApiKey_IsReplacedByTheStoredKey()
    {
        var token = await LockedGatewayWithKeysAsync("byok-sdk");

        // The OpenAI SDK pointed at the gateway with apiKey = the gateway token (our choice, docs/gateway-api.md#authenticated-gateway).
        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-sdk/mistral/echo/chat",
            ("Authorization", "Bearer " + token), ("cf-aig-collect-log", "false")));

        var headers = await AccessApi.EchoedHeadersAsync(response);
        var sent = Assert.Single(headers.GetProperty("authorization").EnumerateArray());
        Assert.Equal("Bearer " + _openAiKey, sent.GetString());
    }

    [Fact]
    public async Task KeySentWithTheRequest_WinsOverTheStoredOne()
    {
        var token = await LockedGatewayWithKeysAsync("byok-wins");

        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-wins/anthropic/echo/v1/messages",
            ("cf-aig-authorization", "Bearer " + token), ("x-api-key", "callers-own"), ("cf-aig-collect-log", "false")));

        var headers = await AccessApi.EchoedHeadersAsync(response);
        Assert.Equal("callers-own", Assert.Single(headers.GetProperty("x-api-key").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Alias_PicksTheKey_AndAnUnknownAliasIs400With2040()
    {
        var token = await LockedGatewayWithKeysAsync("byok-alias");
        var (status, body) = await AccessApi.CreateProviderConfigAsync(Gateway, "byok-alias",
            new { provider_slug = "mistral", alias = "team-b", secret = "team-b-key-0123456789" },
            prefix: "client/v4/accounts/acct/ai-gateway/gateways");
        Assert.True(status == HttpStatusCode.OK, body);

        using (var chosen = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-alias/mistral/echo/chat",
                   ("cf-aig-authorization", "Bearer " + token), ("cf-aig-byok-alias", "team-b"), ("cf-aig-collect-log", "false"))))
        {
            var headers = await AccessApi.EchoedHeadersAsync(chosen);
            Assert.Equal("Bearer team-b-key-0123456789", headers.GetProperty("authorization")[0].GetString());
        }

        long before = _env.Simulator.RequestCount;
        using var unknown = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-alias/openai/chat/completions",
            ("cf-aig-authorization", "Bearer " + token), ("cf-aig-byok-alias", "nope")));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var doc = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(2040, error.GetProperty("code").GetInt32());
        Assert.Contains("Provider 'openai' has no BYOK credential named 'nope'", error.GetProperty("message").GetString());
        Assert.Equal(before, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task GatewayWithoutAuthentication_CannotHoldKeys()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "open-gw", authentication: false);

        var (status, body) = await AccessApi.CreateProviderConfigAsync(Gateway, "open-gw", new { provider_slug = "openai", secret = _openAiKey });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("authentication", body);
        Assert.DoesNotContain(_openAiKey, body);
    }

    [Theory]
    [InlineData("""{"provider_slug":"not-a-provider","secret":"SECRET-VALUE-123"}""", "provider_slug")]
    [InlineData("""{"provider_slug":"openai"}""", "secret")]
    [InlineData("""{"provider_slug":"openai","secret":12345}""", "secret")]
    [InlineData("""{"provider_slug":"openai","secret":"SECRET-VALUE-123","alias":"no spaces"}""", "alias")]
    [InlineData("""{"provider_slug":"aws-bedrock","secret":"{\"accessKeyId\":\"AKIA\",\"region\":\"SECRET-VALUE-123\"}"}""", "secret")]
    [InlineData("""{"provider_slug":"aws-bedrock","secret":"SECRET-VALUE-123 not json"}""", "secret")]
    public async Task InvalidProviderConfig_Is400NamingTheField_WithoutEchoingTheSecret(string json, string field)
    {
        await AccessApi.CreateGatewayAsync(Gateway, "byok-invalid", authentication: true);
        using var management = Gateway.ManagementClient();

        using var response = await management.PostAsync($"{AccessApi.Local}/byok-invalid/provider_configs",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(field, doc.RootElement.GetProperty("errors")[0].GetProperty("path")[0].GetString());
        Assert.DoesNotContain("SECRET-VALUE-123", text);
    }

    [Fact]
    public async Task Secret_NeverComesBack_IsSealedOnDisk_AndSurvivesARestart()
    {
        var token = await LockedGatewayWithKeysAsync("byok-disk");
        var (status, created) = await AccessApi.CreateProviderConfigAsync(Gateway, "byok-disk", new
        {
            provider_slug = "aws-bedrock",
            alias = "prod",
            secret = new { accessKeyId = "AKIAEXAMPLEKEY12", secretAccessKey = "aws-" + _openAiKey, region = "us-east-1" },
        });
        Assert.True(status == HttpStatusCode.OK, created);
        Assert.DoesNotContain(_openAiKey, created);
        using (var doc = JsonDocument.Parse(created))
        {
            var result = doc.RootElement.GetProperty("result");
            Assert.Equal("EY12", result.GetProperty("secret_preview").GetString());
            Assert.False(result.TryGetProperty("secret", out _));
        }

        // A logged call (bodies kept) that does not echo headers, so nothing of the key can reach a log body.
        using (var call = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-disk/mistral/v1/chat/completions",
                   ("cf-aig-authorization", "Bearer " + token))))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            await Gateway.WaitForLogRowAsync(call.Headers.GetValues("cf-aig-log-id").Single());
        }

        using (var management = Gateway.ManagementClient())
        {
            foreach (var path in new[]
                     {
                         $"{AccessApi.Local}/byok-disk/provider_configs", $"{AccessApi.Local}/byok-disk/logs", $"{AccessApi.Local}/byok-disk/tokens",
                         $"{AccessApi.Local}/byok-disk",
                     })
            {
                using var response = await management.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain(_openAiKey, text);
                Assert.DoesNotContain(_anthropicKey, text);
                Assert.DoesNotContain(token, text);
            }

            using var list = await management.GetAsync($"{AccessApi.Local}/byok-disk/provider_configs");
            Assert.Equal(3, (await AccessApi.ResultAsync(list)).GetArrayLength());
        }

        await _env.RestartGatewayAsync();
        Assert.False(AccessApi.AnyFileContains(_env.DataPath, _openAiKey));
        Assert.False(AccessApi.AnyFileContains(_env.DataPath, _anthropicKey));
        Assert.False(AccessApi.AnyFileContains(_env.DataPath, token));
        var keyFile = Path.Combine(_env.DataPath, "master.key");
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        using var after = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-disk/mistral/echo/chat",
            ("cf-aig-authorization", "Bearer " + token), ("cf-aig-collect-log", "false")));
        var headers = await AccessApi.EchoedHeadersAsync(after);
        Assert.Equal("Bearer " + _openAiKey, headers.GetProperty("authorization")[0].GetString());
    }

    [Fact]
    public async Task DeletedKey_IsNoLongerInjected()
    {
        var token = await LockedGatewayWithKeysAsync("byok-delete");
        using var management = Gateway.ManagementClient();
        using (var list = await management.GetAsync($"{AccessApi.Local}/byok-delete/provider_configs"))
        {
            var mistral = (await AccessApi.ResultAsync(list)).EnumerateArray().Single(c => c.GetProperty("provider_slug").GetString() == "mistral");
            using var deleted = await management.DeleteAsync($"{AccessApi.Local}/byok-delete/provider_configs/{mistral.GetProperty("id").GetString()}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/byok-delete/mistral/echo/chat",
            ("cf-aig-authorization", "Bearer " + token), ("cf-aig-collect-log", "false")));
        var headers = await AccessApi.EchoedHeadersAsync(response);
        Assert.False(headers.TryGetProperty("authorization", out _));
    }

    [Fact]
    public async Task DuplicateAlias_IsRefused()
    {
        await LockedGatewayWithKeysAsync("byok-dup");

        var (status, body) = await AccessApi.CreateProviderConfigAsync(Gateway, "byok-dup", new { provider_slug = "mistral", secret = "another-key-0123456789" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("another-key-0123456789", body);
    }
}
