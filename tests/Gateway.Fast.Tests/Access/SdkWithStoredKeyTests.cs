using System.ClientModel;
using System.Net;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Access;

/// <summary>The OpenAI .NET SDK against a locked gateway that holds the provider key: its <c>apiKey</c> is the gateway token.</summary>
public sealed class SdkWithStoredKeyTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public SdkWithStoredKeyTests(GatewayWithSimulator env) => _env = env;

    private ChatClient Chat(string gateway, string apiKey) => new("gpt-4o-mini", new ApiKeyCredential(apiKey),
        new OpenAIClientOptions { Endpoint = _env.ProviderUrl("openai", gateway) });

    [Fact]
    public async Task OpenAISdk_WithTheGatewayTokenAsApiKey_Completes_AndAWrongOneGets401With2009()
    {
        await AccessApi.CreateGatewayAsync(_env.Gateway, "sdk-locked", authentication: true);
        var (_, token) = await AccessApi.CreateTokenAsync(_env.Gateway, "sdk-locked");
        var (status, body) = await AccessApi.CreateProviderConfigAsync(_env.Gateway, "sdk-locked",
            new { provider_slug = "openai", secret = "sk-held-by-the-gateway-0123" });
        Assert.True(status == HttpStatusCode.OK, body);

        ChatCompletion completion = await Chat("sdk-locked", token).CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));

        var error = await Assert.ThrowsAsync<ClientResultException>(
            () => Chat("sdk-locked", "sk-not-a-gateway-token").CompleteChatAsync([new UserChatMessage("Say hello")]));
        Assert.Equal(401, error.Status);
        Assert.Contains("2009", error.GetRawResponse()!.Content.ToString());
    }
}
