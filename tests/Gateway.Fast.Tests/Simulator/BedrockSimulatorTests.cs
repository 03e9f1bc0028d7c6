using System.Text.Json;

using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class BedrockSimulatorTests : IClassFixture<SimulatorFixture>
{
    private const string ModelPath = "/model/amazon.nova-pro-v1%3A0";
    private readonly SimulatorFixture _sim;

    public BedrockSimulatorTests(SimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task Converse_ReturnsMessageStopReasonUsageAndMetrics()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post(ModelPath + "/converse", "{\"messages\":[]}", ("x-sim-tokens", "4")));

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.Equal("assistant", root.GetProperty("output").GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Hello from the simulated", root.GetProperty("output").GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", root.GetProperty("stopReason").GetString());
        JsonElement usage = root.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("outputTokens").GetInt32());
        Assert.Equal(usage.GetProperty("inputTokens").GetInt32() + 4, usage.GetProperty("totalTokens").GetInt32());
        Assert.True(root.GetProperty("metrics").GetProperty("latencyMs").GetInt32() > 0);
        JsonShape.AssertSubset(JsonShape.Paths(System.Text.Encoding.UTF8.GetString(body)),
            JsonShape.Paths(FixtureFiles.ReadText("bedrock/amazon-bedrock-text.json")), "bedrock/amazon-bedrock-text.json");
    }

    [Fact]
    public async Task ConverseStream_FramesCarryValidCrcs()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post(ModelPath + "/converse-stream", "{}", ("x-sim-tokens", "5")));

        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType?.MediaType);
        var frames = EventStreamDecoder.Decode(body);
        Assert.Equal(1 + 5 + 3, frames.Count);
        foreach (var frame in frames)
        {
            Assert.Equal("application/json", frame.Headers[":content-type"]);
            Assert.Equal("event", frame.Headers[":message-type"]);
            using var payload = JsonDocument.Parse(frame.Payload);
            Assert.True(payload.RootElement.TryGetProperty("p", out _), "every payload carries the p padding field");
        }

        using var metadata = JsonDocument.Parse(frames[^1].Payload);
        Assert.Equal(5, metadata.RootElement.GetProperty("usage").GetProperty("outputTokens").GetInt32());
    }

    [Fact]
    public async Task ConverseStream_EventOrderMatchesRecording()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post(ModelPath + "/converse-stream", "{}", ("x-sim-tokens", "3")));
        var simulated = EventStreamDecoder.Decode(body);
        var recorded = EventStreamDecoder.Decode(FixtureFiles.ReadCassetteBinaryBody("bedrock/cassette-converse-stream-text.yaml"));

        Assert.Equal(Collapse(recorded.Select(f => f.EventType)), Collapse(simulated.Select(f => f.EventType)));
        Assert.Equal(recorded[0].Headers.Keys.ToArray(), simulated[0].Headers.Keys.ToArray());
        JsonShape.AssertSubset(JsonShape.Paths(simulated.Select(f => f.PayloadText)),
            JsonShape.Paths(recorded.Select(f => f.PayloadText)), "bedrock/cassette-converse-stream-text.yaml");
    }

    [Fact]
    public void EventStreamDecoder_AcceptsEveryRecordedBedrockFrame()
    {
        string[] cassettes =
        [
            "bedrock/cassette-converse-stream-text.yaml", "bedrock/cassette-converse-stream-reasoning.yaml",
            "bedrock/cassette-converse-stream-tool-use.yaml",
        ];
        foreach (string cassette in cassettes)
        {
            var frames = EventStreamDecoder.Decode(FixtureFiles.ReadCassetteBinaryBody(cassette));
            Assert.Equal("messageStart", frames[0].EventType);
            Assert.Equal("metadata", frames[^1].EventType);
        }
    }

    [Fact]
    public async Task Invoke_ForClaudeModelsAnswersWithAnthropicMessage()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", "{}"));

        using var doc = JsonDocument.Parse(body);
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(16, doc.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task InvokeWithResponseStream_SendsChunkFramesWithBase64Events()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream", "{}",
            ("x-sim-tokens", "2")));

        var frames = EventStreamDecoder.Decode(body);
        Assert.All(frames, static f => Assert.Equal("chunk", f.EventType));
        var types = frames.Select(static f =>
        {
            using var outer = JsonDocument.Parse(f.Payload);
            using var inner = JsonDocument.Parse(outer.RootElement.GetProperty("bytes").GetBytesFromBase64());
            return inner.RootElement.GetProperty("type").GetString()!;
        }).ToArray();
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
            "message_delta", "message_stop"], types);
    }

    [Fact]
    public async Task Converse_StatusControlAnswersWithBedrockErrorShape()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post(ModelPath + "/converse", "{}", ("x-sim-status", "400")));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.StartsWith("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        using var doc = JsonDocument.Parse(body);
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("message").GetString()));
    }

    private static string[] Collapse(IEnumerable<string> types)
    {
        var result = new List<string>();
        foreach (string type in types)
        {
            if (result.Count == 0 || result[^1] != type)
            {
                result.Add(type);
            }
        }

        return result.ToArray();
    }
}
