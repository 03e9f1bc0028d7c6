using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Access;
using Gateway.Fast.Tests.Durability;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Compat;

/// <summary>
/// Provider keys the gateway was started with (<c>OPENAI_API_KEY=… dotnet run</c>): the default routes and the team base
/// paths send them when the caller sends no key and the gateway stores none; <c>/health</c> says which are set, never what.
/// </summary>
public sealed class EnvironmentKeyTests : IAsyncLifetime
{
    private const string OpenAIKey = "sk-env-openai-5f1c";
    private const string AnthropicKey = "sk-ant-env-9a0b";
    private const string AwsSecret = "env/aws/secret/2d7e";
    private const string WorkersToken = "cf-env-token-44c1";
    private const string CloudflareAccount = "0123456789abcdef0123456789abcdef";
    private const string AzureKey = "az-env-key-81d2";

    private readonly TempDirectory _data = new();
    private SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path, new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = OpenAIKey,
            ["ANTHROPIC_API_KEY"] = AnthropicKey,
            ["AWS_ACCESS_KEY_ID"] = "AKIDENVEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = AwsSecret,
            ["AWS_REGION"] = "eu-west-3",
            ["CLOUDFLARE_ACCOUNT_ID"] = CloudflareAccount,
            ["CLOUDFLARE_API_TOKEN"] = WorkersToken,
            ["AZURE_API_KEY"] = AzureKey,
            ["AZURE_RESOURCE_NAME"] = "env-resource",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
        _data.Dispose();
    }

    private static HttpRequestMessage Chat(string path, string model, string reflect, string? authorization = null, bool stream = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new { model, stream, messages = new[] { new { role = "user", content = "Hi" } } }),
        };
        request.Headers.Add("x-sim-reflect", reflect);
        if (authorization is not null)
        {
            request.Headers.Add("Authorization", authorization);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendOkAsync(HttpRequestMessage request)
    {
        var response = await _gateway.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }

    private static string Reflected(HttpResponseMessage response, string header) => response.Headers.GetValues("x-sim-reflected-" + header).Single();

    [Fact]
    public async Task ADefaultRoute_WithoutAKey_SendsTheEnvironmentKey()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "gpt-4o-mini", "authorization"));

        Assert.Equal("Bearer " + OpenAIKey, Reflected(response, "authorization"));
    }

    [Fact]
    public async Task ADefaultRoute_Streamed_SendsTheEnvironmentKey()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "gpt-4o-mini", "authorization", stream: true));

        Assert.Equal("Bearer " + OpenAIKey, Reflected(response, "authorization"));
        Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheCallersKey_WinsOverTheEnvironmentKey()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "gpt-4o-mini", "authorization", "Bearer sk-caller-own"));

        Assert.Equal("Bearer sk-caller-own", Reflected(response, "authorization"));
    }

    [Fact]
    public async Task Anthropic_ThroughTheDefaultRoute_GetsTheEnvironmentKeyAsXApiKey()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "claude-sonnet-4-5", "x-api-key,authorization"));

        Assert.Equal(AnthropicKey, Reflected(response, "x-api-key"));
        Assert.False(response.Headers.Contains("x-sim-reflected-authorization"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Bedrock_ThroughTheDefaultRoute_IsSignedWithTheEnvironmentsAwsKeys_InItsRegion()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "nova-pro", "authorization,x-amz-date"));

        string authorization = Reflected(response, "authorization");
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDENVEXAMPLE/", authorization);
        Assert.Contains("/eu-west-3/bedrock/aws4_request", authorization);
        Assert.DoesNotContain(AwsSecret, authorization);
    }

    [Fact]
    public async Task WorkersAi_ThroughTheDefaultRoute_UsesTheEnvironmentsAccountAndToken()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "@cf/meta/llama-3.1-8b-instruct", "authorization"));

        Assert.Equal("Bearer " + WorkersToken, Reflected(response, "authorization"));
        Assert.StartsWith($"/client/v4/accounts/{CloudflareAccount}/ai/", Reflected(response, "target"));
    }

    [Fact]
    public async Task Azure_ADeploymentAlone_GoesToTheEnvironmentsResource_WithItsKey()
    {
        using var response = await SendOkAsync(Chat("v1/chat/completions", "azure-openai/my-deployment", "api-key"));

        Assert.Equal(AzureKey, Reflected(response, "api-key"));
        Assert.Equal("env-resource/my-deployment", response.Headers.GetValues("cf-aig-model").Single());
    }

    [Fact]
    public async Task ATeamBasePath_WithNothingStored_SendsTheEnvironmentKey()
    {
        string key = await TeamKeyAsync("t-env");

        using var response = await SendOkAsync(Chat("openai/chat/completions", "gpt-4o-mini", "authorization", "Bearer " + key));

        Assert.Equal("Bearer " + OpenAIKey, Reflected(response, "authorization"));
    }

    [Fact]
    public async Task AStoredKey_WinsOverTheEnvironmentKey()
    {
        string key = await TeamKeyAsync("t-stored");
        using (var management = _gateway.ManagementClient())
        using (var patch = await management.PatchAsJsonAsync("api/management/gateways/default", new { authentication = true }))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync()); // a gateway holds keys only behind authentication
        }

        var stored = await AccessApi.CreateProviderConfigAsync(_gateway, "default", new { provider_slug = "anthropic", secret = "sk-ant-stored-beats-env" });
        Assert.Equal(HttpStatusCode.OK, stored.Status);

        using var response = await SendOkAsync(Chat("anthropic/chat/completions", "claude-sonnet-4-5", "x-api-key", "Bearer " + key));

        Assert.Equal("sk-ant-stored-beats-env", Reflected(response, "x-api-key"));
    }

    [Fact]
    public async Task TheUnifiedApiAndPassthrough_DoNotUseTheEnvironmentKey()
    {
        // Only the default gateway's own routes fall back to the process's keys; a named gateway's calls go as sent.
        using var compat = await SendOkAsync(Chat("v1/test-account/default/compat/chat/completions", "openai/gpt-4o-mini", "authorization"));
        Assert.False(compat.Headers.Contains("x-sim-reflected-authorization"));

        using var passthrough = await SendOkAsync(Chat("v1/test-account/default/openai/chat/completions", "gpt-4o-mini", "authorization"));
        Assert.False(passthrough.Headers.Contains("x-sim-reflected-authorization"));
    }

    [Fact]
    public async Task Health_SaysWhichProvidersHaveAnEnvironmentKey_NeverTheKey()
    {
        using var response = await _gateway.Client.GetAsync("health");

        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        var providers = body.RootElement.GetProperty("providers");
        foreach (string configured in (string[])["openai", "anthropic", "aws-bedrock", "workers-ai", "azure-openai"])
        {
            Assert.True(providers.GetProperty(configured).GetProperty("key_from_environment").GetBoolean(), configured);
        }

        foreach (string unset in (string[])["groq", "google-ai-studio", "mistral", "cohere", "deepseek", "grok"])
        {
            Assert.False(providers.GetProperty(unset).GetProperty("key_from_environment").GetBoolean(), unset);
        }

        foreach (string secret in (string[])[OpenAIKey, AnthropicKey, AwsSecret, WorkersToken, AzureKey, "AKIDENVEXAMPLE", CloudflareAccount])
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task AnUpstreamError_ForAnEnvironmentKey_DoesNotCarryTheKey()
    {
        using var request = Chat("v1/chat/completions", "claude-sonnet-4-5", "x-api-key");
        request.Headers.Add("x-sim-status", "401");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(AnthropicKey, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AGatewayProcess_ReadsTheKeyFromItsEnvironment()
    {
        using var data = new TempDirectory();
        await using var process = await GatewayProcess.StartAsync(data.Path, _simulator.BaseUrl + "/v1",
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-env-from-the-process" });
        using var request = Chat("v1/chat/completions", "gpt-4o-mini", "authorization");

        using var response = await process.Client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer sk-env-from-the-process", Reflected(response, "authorization"));
        using var health = JsonDocument.Parse(await process.Client.GetStringAsync("health"));
        Assert.True(health.RootElement.GetProperty("providers").GetProperty("openai").GetProperty("key_from_environment").GetBoolean());
    }

    private async Task<string> TeamKeyAsync(string team)
    {
        using var management = _gateway.ManagementClient();
        using var created = await management.PostAsJsonAsync("tokens", new { teamId = team, name = team + "-svc", limited = false });
        return (await AccessApi.BareAsync(created)).GetProperty("apiKey").GetString()!;
    }
}
