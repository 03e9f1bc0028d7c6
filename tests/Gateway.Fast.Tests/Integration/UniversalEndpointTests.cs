using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>The Universal Endpoint walks its steps in order until one answers, and says which one did.</summary>
public sealed class UniversalEndpointTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string json)
        => await _env.Gateway.Client.PostAsync("v1/acct/default", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task FirstStepThatAnswers_Wins_AndCfAigStepNamesIt()
    {
        using var response = await PostAsync("""
            [{"provider":"workers-ai","endpoint":"@cf/meta/llama-3.1-8b-instruct",
              "headers":{"Authorization":"Bearer cf","x-sim-status":"500"},
              "query":{"messages":[{"role":"user","content":"Hi"}]}},
             {"provider":"openai","endpoint":"chat/completions",
              "headers":{"Authorization":"Bearer sk"},
              "query":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("cf-aig-step").Single());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal(2, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task PrimaryThatAnswers_IsStepZero()
    {
        using var response = await PostAsync("""
            {"provider":"anthropic","endpoint":"v1/messages","headers":{"x-api-key":"k"},
             "query":{"model":"claude-sonnet-4-5","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("cf-aig-step").Single());
    }

    [Fact]
    public async Task StepTimeout_FallsBackToTheNextStep()
    {
        using var response = await PostAsync("""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"x-sim-delay-ms":"30000"},
              "config":{"requestTimeout":200},"query":{"model":"m","messages":[]}},
             {"provider":"groq","endpoint":"chat/completions","query":{"model":"m","messages":[]}}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("cf-aig-step").Single());
    }

    [Fact]
    public async Task StepConfig_RetriesBeforeFallingBack()
    {
        string key = Guid.NewGuid().ToString("N");
        using var response = await PostAsync($$$"""
            [{"provider":"openai","endpoint":"chat/completions",
              "headers":{"x-sim-status":"503","x-sim-fail-first":"1","x-sim-fail-key":"{{{key}}}"},
              "config":{"maxAttempts":2,"retryDelay":1,"backoff":"constant"},"query":{"model":"m","messages":[]}},
             {"provider":"groq","endpoint":"chat/completions","query":{"model":"m","messages":[]}}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("cf-aig-step").Single());
        Assert.Equal(2, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task AllStepsFailing_ReturnsTheLastStepsAnswer()
    {
        using var response = await PostAsync("""
            [{"provider":"openai","endpoint":"chat/completions","headers":{"x-sim-status":"500"},"query":{"model":"m","messages":[]}},
             {"provider":"mistral","endpoint":"v1/chat/completions","headers":{"x-sim-status":"429"},"query":{"model":"m","messages":[]}}]
            """);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("cf-aig-step").Single());
    }

    [Fact]
    public async Task StreamedStep_IsStreamedBack()
    {
        using var response = await PostAsync("""
            [{"provider":"openai","endpoint":"chat/completions","query":{"model":"m","stream":true,"messages":[]}}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", (await response.Content.ReadAsStringAsync()).Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task StepCacheControls_CacheThatStep()
    {
        const string body = """
            [{"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer sk","cf-aig-cache-ttl":"600"},
              "query":{"model":"m","messages":[{"role":"user","content":"cache me"}]}}]
            """;
        using var first = await PostAsync(body);
        using var second = await PostAsync(body);

        Assert.Equal("MISS", first.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Equal("HIT", second.Headers.GetValues("cf-aig-cache-status").Single());
        Assert.Equal("0", second.Headers.GetValues("cf-aig-step").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _env.Simulator.RequestCount);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("[{\"endpoint\":\"chat/completions\"}]")]
    [InlineData("[{\"provider\":\"openai\",\"endpoint\":\"x\",\"headers\":{\"bad\\nname\":\"v\"}}]")]
    public async Task MalformedSteps_Are400InCloudflaresShape(string body)
    {
        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal(0, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task UnknownProviderInAStep_Is400_2008()
    {
        using var response = await PostAsync("""[{"provider":"nope","endpoint":"x","query":{}}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2008, doc.RootElement.GetProperty("error")[0].GetProperty("code").GetInt32());
    }
}
