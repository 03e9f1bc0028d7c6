using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using Gateway.Fast.Tests.Access;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat;

/// <summary>
/// The unified API on an authenticated gateway that holds the provider keys (docs/gateway-api.md#unified-api): the caller sends only its
/// gateway token; the gateway calls Anthropic with the stored key and Bedrock with a SigV4 signature from stored AWS keys.
/// </summary>
public sealed class StoredKeyCompatTests : IAsyncLifetime
{
    private const string AwsSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AnthropicSecret = "sk-ant-stored-5f1e";
    private readonly GatewayWithSimulator _env = new();
    private string _token = "";

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();
        await AccessApi.CreateGatewayAsync(_env.Gateway, "locked", authentication: true);
        (_, _token) = await AccessApi.CreateTokenAsync(_env.Gateway, "locked");
        var aws = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "locked", new
        {
            provider_slug = "aws-bedrock",
            alias = "default",
            secret = $$"""{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"{{AwsSecret}}","region":"eu-west-3"}""",
        });
        Assert.Equal(HttpStatusCode.OK, aws.Status);
        var anthropic = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "locked",
            new { provider_slug = "anthropic", alias = "default", secret = AnthropicSecret });
        Assert.Equal(HttpStatusCode.OK, anthropic.Status);
    }

    public Task DisposeAsync() => _env.DisposeAsync();

    private HttpRequestMessage Compat(string model, string reflect)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/acct/locked/compat/chat/completions"))
        {
            Content = JsonContent.Create(new { model, messages = new[] { new { role = "user", content = "Hi" } } }),
        };
        request.Headers.Add("cf-aig-authorization", "Bearer " + _token);
        request.Headers.Add("x-sim-reflect", reflect);
        return request;
    }

    [Fact]
    public async Task Bedrock_IsSignedWithTheStoredAwsKeys_InTheirRegion()
    {
        using var response = await _env.Gateway.Client.SendAsync(Compat("aws-bedrock/nova-pro", "authorization,x-amz-date"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string authorization = response.Headers.GetValues("x-sim-reflected-authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", authorization);
        Assert.Contains("/eu-west-3/bedrock/aws4_request", authorization);
        Assert.Matches("Signature=[0-9a-f]{64}$", authorization);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", response.Headers.GetValues("x-sim-reflected-x-amz-date").Single());
        Assert.Equal("/model/amazon.nova-pro-v1%3A0/converse", response.Headers.GetValues("x-sim-reflected-target").Single());
        Assert.Equal("amazon.nova-pro-v1:0", response.Headers.GetValues("cf-aig-model").Single());
        Assert.DoesNotContain(AwsSecret, body);
        Assert.Contains("chat.completion", body);
    }

    [Fact]
    public async Task Anthropic_GetsTheStoredKey_AndNeverTheGatewayToken()
    {
        using var response = await _env.Gateway.Client.SendAsync(Compat("anthropic/claude-sonnet-4-5", "x-api-key,authorization"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AnthropicSecret, response.Headers.GetValues("x-sim-reflected-x-api-key").Single());
        Assert.False(response.Headers.Contains("x-sim-reflected-authorization"));
    }

    [Fact]
    public async Task TheOpenAISdk_WithTheGatewayTokenAsItsKey_Works()
    {
        // CF's example: the SDK's apiKey is the gateway token; the provider key stays on the gateway.
        var client = new ChatClient("anthropic/claude-sonnet-4-5", new ApiKeyCredential(_token),
            new OpenAIClientOptions { Endpoint = new Uri(_env.Gateway.Address, "v1/acct/locked/compat/") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
    }

    [Fact]
    public async Task WithoutTheGatewayToken_Is401()
    {
        using var request = Compat("anthropic/claude-sonnet-4-5", "x-api-key");
        request.Headers.Remove("cf-aig-authorization");
        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
