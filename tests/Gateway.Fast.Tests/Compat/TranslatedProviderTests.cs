using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat;

/// <summary>
/// Every translated provider through <c>/compat</c>, end to end: the official OpenAI SDK → gateway → the simulator
/// speaking the provider's native API → back, plain and streamed, with tools, errors and the log row.
/// </summary>
public sealed class TranslatedProviderTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public TranslatedProviderTests(GatewayWithSimulator env) => _env = env;

    /// <summary>One model per translated family.</summary>
    public static TheoryData<string> Models => new()
    {
        "anthropic/claude-sonnet-4-5",
        "google-ai-studio/gemini-2.5-flash",
        "cohere/command-r-plus",
        "aws-bedrock/amazon.nova-pro-v1:0",
    };

    private ChatClient Chat(string model) => new(model, new ApiKeyCredential("sk-test-key"),
        new OpenAIClientOptions { Endpoint = new Uri(_env.Gateway.Address, "v1/test-account/default/compat/") });

    private static ChatTool WeatherTool() => ChatTool.CreateFunctionTool("get_weather", "Current weather for a city",
        BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}"""));

    [Theory]
    [MemberData(nameof(Models))]
    public async Task PlainChat_ComesBackInOpenAIShape_WithUsage(string model)
    {
        var result = await Chat(model).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")]);
        ChatCompletion completion = result.Value;

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(model, completion.Model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task StreamedChat_ArrivesAsOpenAIChunks_WithAUsageChunk(string model)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        int updates = 0;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.True(updates > 2, $"expected several chunks, got {updates}");
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage!.OutputTokenCount > 0);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ToolCalls_ComeBackAsOpenAIToolCalls_PlainAndStreamed(string model)
    {
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        ChatCompletion completion = await Chat(model).CompleteChatAsync([new UserChatMessage("Weather in Lisbon?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        using (JsonDocument.Parse(call.FunctionArguments.ToString()))
        {
        }

        var arguments = new StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("Weather in Lisbon?")], options))
        {
            foreach (var delta in update.ToolCallUpdates)
            {
                name ??= delta.FunctionName;
                arguments.Append(delta.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        using (JsonDocument.Parse(arguments.ToString()))
        {
        }

        // The tool result goes back as the next turn.
        var followUp = await Chat(model).CompleteChatAsync(
            [new UserChatMessage("Weather in Lisbon?"), new AssistantChatMessage(completion.ToolCalls), new ToolChatMessage(call.Id, "{\"temp_c\":21}")]);
        Assert.False(string.IsNullOrWhiteSpace(followUp.Value.Content[0].Text));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ProviderErrors_ComeBackInOpenAIShape_WithTheUpstreamStatus(string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/test-account/default/compat/chat/completions"))
        {
            Content = JsonContent.Create(new { model, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Add("x-sim-status", "400");
        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task TheLogRow_HasTheNativeModel_TheProvidersUsage_AndACost(string model)
    {
        var result = await Chat(model).CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("cf-aig-log-id", out string? id));

        var row = await _env.Gateway.WaitForLogRowAsync(id!);
        Assert.Equal("compat", row.RequestType);
        Assert.Equal(model[..model.IndexOf('/')], row.Provider);
        Assert.Equal(model[(model.IndexOf('/') + 1)..], row.Model);
        Assert.Equal(result.Value.Usage.InputTokenCount, row.TokensIn);
        Assert.Equal(result.Value.Usage.OutputTokenCount, row.TokensOut);
        Assert.False(row.TokensEstimated);
        Assert.True(row.Cost > 0);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task AStreamedAnswer_IsCachedAndReplayedAsTheSameChunks(string model)
    {
        var body = JsonContent.Create(new { model, stream = true, messages = new[] { new { role = "user", content = "cache " + Guid.NewGuid() } } });
        string payload = await body.ReadAsStringAsync();
        async Task<(string Status, string Body)> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/test-account/default/compat/chat/completions"))
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("cf-aig-cache-ttl", "300");
            using var response = await _env.Gateway.Client.SendAsync(request);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return (response.Headers.GetValues("cf-aig-cache-status").Single(), await response.Content.ReadAsStringAsync());
        }

        var first = await Send();
        var second = await Send();

        Assert.Equal("MISS", first.Status);
        Assert.Equal("HIT", second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.EndsWith("data: [DONE]\n\n", second.Body);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task AWholeAnswerFromTheCache_IsLoggedWithTheUsageTheProviderReported(string model)
    {
        // The cache holds the translated (OpenAI-shaped) answer: its HIT row must read that shape, not the provider's.
        string payload = JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = "cache " + Guid.NewGuid() } } });
        async Task<(string Status, string LogId)> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/test-account/default/compat/chat/completions"))
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("cf-aig-cache-ttl", "300");
            using var response = await _env.Gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (response.Headers.GetValues("cf-aig-cache-status").Single(), response.Headers.GetValues("cf-aig-log-id").Single());
        }

        var miss = await Send();
        var hit = await Send();
        Assert.Equal("HIT", hit.Status);

        var missRow = await _env.Gateway.WaitForLogRowAsync(miss.LogId);
        var hitRow = await _env.Gateway.WaitForLogRowAsync(hit.LogId);
        Assert.False(missRow.TokensEstimated);
        Assert.False(hitRow.TokensEstimated);
        Assert.True(missRow.TokensIn > 0);
        Assert.Equal(missRow.TokensIn, hitRow.TokensIn);
        Assert.Equal(missRow.TokensOut, hitRow.TokensOut);
    }
}

/// <summary><c>/compat/embeddings</c> to the providers whose embeddings API is not OpenAI's: the OpenAI SDK reads the answer.</summary>
public sealed class TranslatedEmbeddingsTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public TranslatedEmbeddingsTests(GatewayWithSimulator env) => _env = env;

    [Theory]
    [InlineData("google-ai-studio/gemini-embedding-001")]
    [InlineData("cohere/embed-v4.0")]
    [InlineData("openai/text-embedding-3-small")]
    public async Task OpenAISdk_GetsOneVectorPerInput(string model)
    {
        var client = new OpenAI.Embeddings.EmbeddingClient(model, new ApiKeyCredential("sk-test"),
            new OpenAIClientOptions { Endpoint = new Uri(_env.Gateway.Address, "v1/test-account/default/compat/") });

        var result = await client.GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.True(e.ToFloats().Length > 0));
        Assert.Equal(1, result.Value[1].Index);
    }

    [Fact]
    public async Task Anthropic_HasNoEmbeddings_And400Says()
    {
        using var response = await _env.Gateway.Client.PostAsync("v1/test-account/default/compat/embeddings",
            JsonContent.Create(new { model = "anthropic/claude-sonnet-4-5", input = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("offers no embeddings", await response.Content.ReadAsStringAsync());
    }
}
