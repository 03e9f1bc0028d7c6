using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>Gateways created at run time through the management API serve traffic at once and survive a restart.</summary>
public sealed class GatewayLifecycleTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private static StringContent ChatBody() => new("""{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json");

    private const string GatewaysPath = "client/v4/accounts/acct/ai-gateway/gateways";

    private static object NewGateway(string id) => new
    {
        id,
        cache_invalidate_on_update = false,
        cache_ttl = 0,
        collect_logs = true,
        rate_limiting_interval = 0,
        rate_limiting_limit = 0,
        rate_limiting_technique = "fixed",
    };

    [Fact]
    public async Task CreatedGateway_ServesTraffic_SurvivesARestart_AndIsGoneAfterDelete()
    {
        using (var management = _env.Gateway.ManagementClient())
        {
            using var created = await management.PostAsJsonAsync(GatewaysPath, NewGateway("team-a"));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using (var before = await _env.Gateway.Client.PostAsync("v1/acct/team-a/openai/chat/completions", ChatBody()))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _env.RestartGatewayAsync();

        using (var management = _env.Gateway.ManagementClient())
        {
            using var listed = await management.GetAsync($"{GatewaysPath}/team-a");
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            using var doc = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
            Assert.Equal("team-a", doc.RootElement.GetProperty("result").GetProperty("id").GetString());
            Assert.Equal("fixed", doc.RootElement.GetProperty("result").GetProperty("rate_limiting_technique").GetString());
        }

        using (var after = await _env.Gateway.Client.PostAsync("v1/acct/team-a/openai/chat/completions", ChatBody()))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        using (var management = _env.Gateway.ManagementClient())
        {
            using var deleted = await management.DeleteAsync($"{GatewaysPath}/team-a");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var gone = await _env.Gateway.Client.PostAsync("v1/acct/team-a/openai/chat/completions", ChatBody());
        Assert.Equal(HttpStatusCode.BadRequest, gone.StatusCode);
        using var error = JsonDocument.Parse(await gone.Content.ReadAsStringAsync());
        Assert.Equal(2001, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task DefaultGateway_ExistsFromTheFirstStart()
    {
        using var management = _env.Gateway.ManagementClient();
        using var response = await management.GetAsync($"{GatewaysPath}/default");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(doc.RootElement.GetProperty("result").GetProperty("authentication").GetBoolean());
    }

    [Fact]
    public async Task ManagementRoutes_RefuseAMissingOrWrongToken()
    {
        using var none = await _env.Gateway.Client.GetAsync(GatewaysPath);
        using var wrongClient = new HttpClient { BaseAddress = _env.Gateway.Address };
        wrongClient.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");
        using var wrong = await wrongClient.GetAsync("api/management/gateways");

        foreach (var response in new[] { none, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
            Assert.Equal(10000, doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetInt32());
        }
    }

    [Fact]
    public async Task AuthenticatedGateway_RefusesCallsWithoutAValidGatewayToken()
    {
        using (var management = _env.Gateway.ManagementClient())
        {
            using var created = await management.PostAsJsonAsync(GatewaysPath, new
            {
                id = "locked",
                cache_invalidate_on_update = false,
                cache_ttl = 0,
                collect_logs = true,
                rate_limiting_interval = 0,
                rate_limiting_limit = 0,
                authentication = true,
            });
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "v1/acct/locked/openai/chat/completions") { Content = ChatBody() };
        request.Headers.Add("cf-aig-authorization", "Bearer guessed");
        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2009, doc.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, _env.Simulator.RequestCount);
    }
}
