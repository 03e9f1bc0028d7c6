using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Compat;

/// <summary><c>AUTH_TOKEN</c> on the default routes (header or query) and CORS with configured origins (docs/gateway-api.md#simple-auth-for-the-default-routes).</summary>
public sealed class DefaultRoutesAuthAndCorsTests : IAsyncLifetime
{
    private const string Token = "default-routes-secret-7f3a";
    private readonly TempDirectory _data = new();
    private Gateway.Fast.Simulator.SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _simulator = await Gateway.Fast.Simulator.SimulatorHost.StartAsync();
        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path, new Dictionary<string, string?>
        {
            ["AUTH_TOKEN"] = Token,
            ["Gateway:CorsOrigins"] = "https://app.example, https://admin.example",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
        _data.Dispose();
    }

    private static JsonContent Chat() => JsonContent.Create(new { model = "gpt-4o-mini", messages = new[] { new { role = "user", content = "hi" } } });

    [Fact]
    public async Task WithoutTheToken_TheDefaultRoutesAnswer401InOpenAIShape()
    {
        using var response = await _gateway.Client.PostAsync("v1/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2009, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AWrongToken_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Chat() };
        request.Headers.Add("X-AUTH-TOKEN", Token + "x");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheToken_InTheHeaderOrTheQuery_LetsTheCallThrough()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Chat() };
        request.Headers.Add("X-AUTH-TOKEN", Token);
        using var byHeader = await _gateway.Client.SendAsync(request);
        using var byQuery = await _gateway.Client.PostAsync("v1/chat/completions?auth_token=" + Token, Chat());

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
    }

    [Fact]
    public async Task ProviderRoutes_AreNotGatedByTheDefaultRoutesToken()
    {
        using var response = await _gateway.Client.PostAsync("v1/acct/default/openai/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task APreflightFromAnAllowedOrigin_IsAnswered()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-auth-token");
        using var response = await _gateway.Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
    }

    [Fact]
    public async Task AnAnswer_CarriesTheCorsHeaders_OnlyForAllowedOrigins()
    {
        using var allowed = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions?auth_token=" + Token) { Content = Chat() };
        allowed.Headers.Add("Origin", "https://admin.example");
        using var ok = await _gateway.Client.SendAsync(allowed);
        using var other = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions?auth_token=" + Token) { Content = Chat() };
        other.Headers.Add("Origin", "https://evil.example");
        using var refused = await _gateway.Client.SendAsync(other);

        Assert.Equal("https://admin.example", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("cf-aig-log-id", string.Join(",", ok.Headers.GetValues("Access-Control-Expose-Headers")));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
