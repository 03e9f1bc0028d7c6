using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class EchoAndOtherProvidersTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public EchoAndOtherProvidersTests(SimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task Echo_DescribesRequestAndReflectsResponseHeaders()
    {
        const string Payload = "{\"hello\":\"world\"}";
        using var request = _sim.Post("/echo/v1/chat/completions?x=1&y=2", Payload, ("X-Custom", "a"),
            ("x-sim-echo-response-header-foo", "bar"));
        var (response, body) = await _sim.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("bar", response.Headers.GetValues("foo").Single());
        using var doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/echo/v1/chat/completions", root.GetProperty("path").GetString());
        Assert.Equal("?x=1&y=2", root.GetProperty("query").GetString());
        Assert.Equal("a", root.GetProperty("headers").GetProperty("x-custom")[0].GetString());
        Assert.Equal(Payload.Length, root.GetProperty("body_length").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Payload))), root.GetProperty("body_sha256").GetString());
    }

    [Fact]
    public async Task Echo_AnswersAnyMethodAndAppliesStatus()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, _sim.Host.BaseUrl + "/echo/x");
        request.Headers.Add("x-sim-status", "418");
        var (response, body) = await _sim.SendAsync(request);

        Assert.Equal(418, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("DELETE", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("body_length").GetInt64());
    }

    [Fact]
    public async Task WorkersAiRun_PlainUsesV4EnvelopeWithUsage()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/client/v4/accounts/acct/ai/run/@cf/meta/llama-3.1-8b-instruct",
            "{\"prompt\":\"hi\"}", ("x-sim-tokens", "4")));

        using var doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        Assert.Equal("Hello from the simulated", root.GetProperty("result").GetProperty("response").GetString());
        Assert.Equal(4, root.GetProperty("result").GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task WorkersAiRun_StreamSendsResponseTokensThenDone()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/client/v4/accounts/acct/ai/run/@cf/meta/llama-3.1-8b-instruct",
            "{\"stream\":true}", ("x-sim-tokens", "3")));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        Assert.Equal("[DONE]", events[^1].Data);
        var tokens = events.Take(3).Select(static e => JsonDocument.Parse(e.Data).RootElement.GetProperty("response").GetString());
        Assert.Equal("Hello from the", string.Concat(tokens));
        using var usage = JsonDocument.Parse(events[^2].Data);
        Assert.Equal(3, usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task CohereV2Chat_StreamEventOrderMatchesRecording()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v2/chat", "{\"model\":\"command-r\",\"stream\":true}", ("x-sim-tokens", "3")));

        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        var types = events.Select(static e => JsonDocument.Parse(e.Data).RootElement.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(events.Select(static e => e.Name!).ToArray(), types);
        string[] recorded = FixtureFiles.ReadLines("cohere/cohere-text.chunks.txt");
        var recordedTypes = recorded.Select(static l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()!).Distinct();
        Assert.Equal(recordedTypes.ToArray(), types.Distinct().ToArray());
        JsonShape.AssertSubset(JsonShape.Paths(events.Select(static e => e.Data)), JsonShape.Paths(recorded), "cohere/cohere-text.chunks.txt");
    }

    [Fact]
    public async Task CohereV2Chat_PlainMatchesRecordedShape()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v2/chat", "{\"model\":\"command-r\"}"));

        using var doc = JsonDocument.Parse(body);
        Assert.Equal("COMPLETE", doc.RootElement.GetProperty("finish_reason").GetString());
        JsonShape.AssertSubset(JsonShape.Paths(Encoding.UTF8.GetString(body)),
            JsonShape.Paths(FixtureFiles.ReadText("cohere/cohere-text.json")), "cohere/cohere-text.json");
    }

    [Fact]
    public async Task CohereV1Chat_StreamIsNewlineDelimitedJson()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v1/chat", "{\"stream\":true}", ("x-sim-tokens", "2")));

        string[] lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kinds = lines.Select(static l => JsonDocument.Parse(l).RootElement.GetProperty("event_type").GetString()!).ToArray();
        Assert.Equal(["stream-start", "text-generation", "text-generation", "stream-end"], kinds);
    }
}
