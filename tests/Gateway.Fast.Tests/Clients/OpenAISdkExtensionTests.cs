using Gateway.Fast.Client;
using Gateway.Fast.Client.OpenAI;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Clients;

/// <summary>The official OpenAI .NET SDK pointed at a gateway by the client's extension: endpoint, cf-aig-* headers per call, log ids.</summary>
public sealed class OpenAISdkExtensionTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();
    private GatewayClient _client = null!;

    public async Task InitializeAsync()
    {
        await _env.InitializeAsync();
        _client = new GatewayClient(new() { BaseUrl = _env.Gateway.Address, AccountId = "test-account", ApiToken = GatewayServer.ManagementToken });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task ChatThroughTheSdk_CarriesTheDefaultHeaders_AndSetsLastLogId()
    {
        var chat = _client.CreateOpenAIClient("sk-test", defaults: new() { Metadata = new Dictionary<string, object?> { ["app"] = "sdk" } })
            .GetChatClient("gpt-4o-mini");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        var row = await _client.Gateway("default").GetLogAsync(_client.LastLogId!);
        Assert.Equal("openai", row.Provider);
        Assert.Equal("provider", row.RequestType);
        Assert.Equal("sdk", row.Metadata!["app"].GetString());
    }

    [Fact]
    public async Task GatewayCallScope_SetsHeadersForTheCallsInside_AndNotAfter()
    {
        var chat = _client.CreateOpenAIClient("sk-test").GetChatClient("gpt-4o-mini");
        string eventId = "evt-" + Guid.NewGuid().ToString("N");
        var prompt = new UserChatMessage("cache me " + eventId);

        using (GatewayCall.With(new() { CacheTtl = TimeSpan.FromMinutes(10), EventId = eventId }))
        {
            await chat.CompleteChatAsync([prompt]);
            await chat.CompleteChatAsync([prompt]);
        }

        var second = await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        await chat.CompleteChatAsync([prompt]);
        var outside = await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);

        Assert.True(second.Cached);
        Assert.Equal(eventId, second.EventId);
        Assert.False(outside.Cached);
        Assert.Null(outside.EventId);
        Assert.Null(GatewayCall.Current);
    }

    [Fact]
    public async Task CompatProvider_ReachesAnyProviderThroughTheUnifiedApi_AndStreams()
    {
        var chat = _client.CreateOpenAIClient("sk-ant-test", provider: "compat").GetChatClient("anthropic/claude-sonnet-4-5");

        var text = new System.Text.StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.NotEqual(0, text.Length);
        var row = await _env.Gateway.WaitForLogRowAsync(_client.LastLogId!);
        Assert.Equal("anthropic", row.Provider);
        Assert.Equal("compat", row.RequestType);
    }

    [Fact]
    public void Options_PointAtTheGatewaysProviderUrl()
    {
        var options = _client.CreateOpenAIClientOptions("default", "openai");

        Assert.Equal(new Uri(_env.Gateway.Address, "v1/test-account/default/openai/"), options.Endpoint);
    }
}
