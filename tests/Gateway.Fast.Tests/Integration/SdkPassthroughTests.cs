using System.ClientModel;
using Anthropic;
using Anthropic.Models.Messages;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Integration;

/// <summary>The official OpenAI and Anthropic .NET SDKs, pointed at the gateway by base URL alone, plain and streamed.</summary>
public sealed class SdkPassthroughTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public SdkPassthroughTests(GatewayWithSimulator env) => _env = env;

    private ChatClient OpenAIChat() => new("gpt-4o-mini", new ApiKeyCredential("sk-test-openai"),
        new OpenAIClientOptions { Endpoint = _env.ProviderUrl("openai") });

    private AnthropicClient AnthropicSdk() => new() { ApiKey = "sk-ant-test", BaseUrl = _env.ProviderUrl("anthropic").ToString().TrimEnd('/'), MaxRetries = 0 };

    [Fact]
    public async Task OpenAISdk_CompletesAChatThroughTheGateway()
    {
        ChatCompletion completion = await OpenAIChat().CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.True(completion.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task OpenAISdk_StreamsAChatThroughTheGateway()
    {
        var text = new System.Text.StringBuilder();
        int updates = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in OpenAIChat().CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.True(updates > 2, $"expected several chunks, got {updates}");
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task OpenAISdk_SeesTheGatewaysErrorForAnUnknownGateway()
    {
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test"),
            new OpenAIClientOptions { Endpoint = _env.ProviderUrl("openai", gateway: "no-such-gateway") });

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(400, ex.Status);
        Assert.Contains("gateway 'no-such-gateway' does not exist", ex.Message);
        Assert.Contains("""POST /api/management/gateways {"id":"no-such-gateway"}""", ex.Message);
        Assert.DoesNotContain("dashboard", ex.Message);
    }

    [Fact]
    public async Task AnthropicSdk_CreatesAMessageThroughTheGateway()
    {
        var message = await AnthropicSdk().Messages.Create(new MessageCreateParams
        {
            MaxTokens = 64,
            Model = "claude-sonnet-4-5",
            Messages = [new UserMessageParam("Say hello")],
        });

        Assert.NotEmpty(message.Content);
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task AnthropicSdk_StreamsAMessageThroughTheGateway()
    {
        int events = 0;
        await foreach (var ev in AnthropicSdk().Messages.CreateStreaming(new MessageCreateParams
        {
            MaxTokens = 64,
            Model = "claude-sonnet-4-5",
            Messages = [new UserMessageParam("Say hello")],
        }))
        {
            events++;
        }

        Assert.True(events > 4, $"expected the whole event sequence, got {events}");
    }
}
