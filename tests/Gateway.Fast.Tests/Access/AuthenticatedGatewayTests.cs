using System.Net;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Access;

/// <summary>An authenticated gateway, from outside (docs/gateway-api.md#authenticated-gateway): tokens made through the management API open it, nothing else does.</summary>
public sealed class AuthenticatedGatewayTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public AuthenticatedGatewayTests(GatewayWithSimulator env) => _env = env;

    private GatewayServer Gateway => _env.Gateway;

    private static async Task AssertOpenAI401Async(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(2009, error.GetProperty("code").GetInt32());
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
    }

    private static async Task AssertAnthropic401Async(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("authentication_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task LockedGateway_RefusesMissingOrWrongTokens_InTheCallersShape()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-shapes", authentication: true);
        var (_, token) = await AccessApi.CreateTokenAsync(Gateway, "locked-shapes");
        long before = _env.Simulator.RequestCount;

        using (var missing = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-shapes/openai/chat/completions")))
        {
            await AssertOpenAI401Async(missing);
        }

        using (var wrong = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-shapes/openai/chat/completions",
                   ("cf-aig-authorization", "Bearer " + token[..^1] + (token[^1] == 'A' ? 'B' : 'A')))))
        {
            await AssertOpenAI401Async(wrong);
        }

        using (var notBearer = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-shapes/openai/chat/completions",
                   ("cf-aig-authorization", token))))
        {
            await AssertOpenAI401Async(notBearer);
        }

        using (var anthropic = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-shapes/anthropic/v1/messages",
                   ("cf-aig-authorization", "Bearer guessed"), ("x-api-key", "provider-key"))))
        {
            await AssertAnthropic401Async(anthropic);
        }

        Assert.Equal(before, _env.Simulator.RequestCount); // nothing reached the provider
    }

    [Fact]
    public async Task CreatedToken_OpensTheGateway_AndRevokingItClosesTheGatewayAtOnce()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-revoke", authentication: true);
        var (id, token) = await AccessApi.CreateTokenAsync(Gateway, "locked-revoke");
        Assert.StartsWith("cfut_", token);

        using (var accepted = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-revoke/mistral/echo/chat",
                   ("cf-aig-authorization", "Bearer " + token), ("Authorization", "Bearer provider-key"))))
        {
            var headers = await AccessApi.EchoedHeadersAsync(accepted);
            Assert.Equal("Bearer provider-key", headers.GetProperty("authorization")[0].GetString()); // the provider key still goes
            Assert.False(headers.TryGetProperty("cf-aig-authorization", out _));
        }

        using (var management = Gateway.ManagementClient())
        using (var revoked = await management.DeleteAsync($"{AccessApi.Local}/locked-revoke/tokens/{id}"))
        {
            Assert.Equal(id, (await AccessApi.ResultAsync(revoked)).GetProperty("id").GetString());
        }

        using var refused = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-revoke/openai/chat/completions",
            ("cf-aig-authorization", "Bearer " + token)));
        await AssertOpenAI401Async(refused);
    }

    [Fact]
    public async Task GatewayTokenInAuthorization_CountsAsGatewayAuth_AndIsNotForwarded()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-sdk", authentication: true);
        var (_, token) = await AccessApi.CreateTokenAsync(Gateway, "locked-sdk");

        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-sdk/mistral/echo/chat", ("Authorization", "Bearer " + token)));

        var headers = await AccessApi.EchoedHeadersAsync(response);
        Assert.False(headers.TryGetProperty("authorization", out _));
    }

    [Fact]
    public async Task ManagementToken_AlsoOpensTheGateway()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-mgmt", authentication: true);

        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-mgmt/mistral/echo/chat",
            ("cf-aig-authorization", "Bearer " + GatewayServer.ManagementToken)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenOfOneGateway_DoesNotOpenAnother()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-a", authentication: true);
        await AccessApi.CreateGatewayAsync(Gateway, "locked-b", authentication: true);
        var (_, tokenA) = await AccessApi.CreateTokenAsync(Gateway, "locked-a");

        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-b/openai/chat/completions",
            ("cf-aig-authorization", "Bearer " + tokenA)));

        await AssertOpenAI401Async(response);
    }

    [Fact]
    public async Task RecreatedGateway_DoesNotInheritTheOldTokens()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-reborn", authentication: true);
        var (_, token) = await AccessApi.CreateTokenAsync(Gateway, "locked-reborn");
        using (var management = Gateway.ManagementClient())
        using (var deleted = await management.DeleteAsync($"{AccessApi.Local}/locked-reborn"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await AccessApi.CreateGatewayAsync(Gateway, "locked-reborn", authentication: true);

        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/locked-reborn/openai/chat/completions",
            ("cf-aig-authorization", "Bearer " + token)));
        await AssertOpenAI401Async(response);
    }

    [Fact]
    public async Task TokenList_ShowsHintsNeverTokens_OnBothPrefixes()
    {
        await AccessApi.CreateGatewayAsync(Gateway, "locked-list", authentication: true);
        var (id, token) = await AccessApi.CreateTokenAsync(Gateway, "locked-list", "deploy-bot");

        using var management = Gateway.ManagementClient();
        foreach (var path in new[] { $"{AccessApi.Local}/locked-list/tokens", "client/v4/accounts/acct/ai-gateway/gateways/locked-list/tokens" })
        {
            using var response = await management.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(token, text);
            var list = await AccessApi.ResultAsync(response);
            var only = Assert.Single(list.EnumerateArray());
            Assert.Equal(id, only.GetProperty("id").GetString());
            Assert.Equal("deploy-bot", only.GetProperty("name").GetString());
            Assert.Equal(token[^4..], only.GetProperty("hint").GetString());
            Assert.False(only.TryGetProperty("token", out _));
        }
    }

    [Fact]
    public async Task TokenApi_NeedsTheManagementToken_AndAKnownGateway()
    {
        using (var anonymous = await Gateway.Client.PostAsync($"{AccessApi.Local}/default/tokens", AccessApi.ChatBody()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var doc = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync());
            Assert.Equal(10000, doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetInt32());
        }

        using var management = Gateway.ManagementClient();
        using var missing = await management.GetAsync($"{AccessApi.Local}/no-such-gateway/tokens");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task OpenGateway_IgnoresTheGatewayHeader()
    {
        using var response = await Gateway.Client.SendAsync(AccessApi.Proxy("v1/a/default/mistral/echo/chat", ("cf-aig-authorization", "Bearer anything")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
