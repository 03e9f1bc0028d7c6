using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Compat;

/// <summary>Universal steps with <c>provider: "compat"</c>: a fallback chain across providers in one OpenAI request shape.</summary>
public sealed class UniversalCompatStepTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public UniversalCompatStepTests(GatewayWithSimulator env) => _env = env;

    private async Task<HttpResponseMessage> PostAsync(string json)
        => await _env.Gateway.Client.PostAsync("v1/acct/default", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task AFailingTranslatedStep_FallsBackToAnotherProvider_AndTheAnswerIsOpenAIShaped()
    {
        using var response = await PostAsync("""
            [{"provider":"compat","endpoint":"chat/completions","headers":{"Authorization":"Bearer a","x-sim-status":"529"},
              "query":{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}},
             {"provider":"compat","endpoint":"chat/completions","headers":{"Authorization":"Bearer g"},
              "query":{"model":"groq/llama-3.1-8b-instant","messages":[{"role":"user","content":"Hi"}]}}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("cf-aig-step").Single());
        Assert.Equal("groq", response.Headers.GetValues("cf-aig-provider").Single());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task ATranslatedStep_AnswersInOpenAIShape()
    {
        using var response = await PostAsync("""
            {"provider":"compat","endpoint":"chat/completions","headers":{"Authorization":"Bearer a"},
             "query":{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("anthropic/claude-sonnet-4-5", doc.RootElement.GetProperty("model").GetString());
        Assert.Equal("assistant", doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("role").GetString());
        var row = await _env.Gateway.WaitForLogRowAsync(response.Headers.GetValues("cf-aig-log-id").Single());
        Assert.Equal("claude-sonnet-4-5", row.Model);
        Assert.Equal("anthropic", row.Provider);
    }

    [Fact]
    public async Task AStepThatCannotBeRouted_IsRefusedBeforeAnythingIsSent()
    {
        long before = _env.Simulator.RequestCount;
        using var response = await PostAsync("""
            [{"provider":"openai","endpoint":"chat/completions","query":{"model":"gpt-4o-mini","messages":[]}},
             {"provider":"compat","endpoint":"chat/completions","query":{"model":"no-prefix","messages":[]}}]
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("step 1", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, _env.Simulator.RequestCount);
    }
}
