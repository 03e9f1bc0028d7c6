using System.Text;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class AnthropicSimulatorTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public AnthropicSimulatorTests(SimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task Messages_PlainMatchesRecordedShape()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64}",
            ("x-sim-tokens", "6")));

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.StartsWith("msg_", root.GetProperty("id").GetString());
        Assert.Equal("claude-sonnet-4-5", root.GetProperty("model").GetString());
        Assert.Equal("text", root.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("end_turn", root.GetProperty("stop_reason").GetString());
        Assert.Equal(6, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.True(root.GetProperty("usage").GetProperty("input_tokens").GetInt32() >= 1);
        JsonShape.AssertSubset(JsonShape.Paths(Encoding.UTF8.GetString(body)),
            JsonShape.Paths(FixtureFiles.ReadText("anthropic/anthropic-text.json")), "anthropic/anthropic-text.json");
    }

    [Fact]
    public async Task Messages_StreamEventOrderMatchesRecording()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"stream\":true}",
            ("x-sim-tokens", "4")));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        var names = events.Select(static e => e.Name!).ToArray();
        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
            "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], names);
        foreach (var e in events)
        {
            using var doc = JsonDocument.Parse(e.Data);
            Assert.Equal(e.Name, doc.RootElement.GetProperty("type").GetString());
        }

        using var delta = JsonDocument.Parse(events[^2].Data);
        Assert.Equal("end_turn", delta.RootElement.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(4, delta.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        string[] recorded = FixtureFiles.ReadLines("anthropic/anthropic-text.chunks.txt");
        var recordedTypes = recorded.Select(static l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()!).Distinct();
        Assert.Equal(recordedTypes.ToArray(), names.Distinct().ToArray());
        var recordedSse = SseText.Parse(FixtureFiles.ReadText("anthropic/stream-tool-use.sse"));
        Assert.All(recordedSse, static e => Assert.NotNull(e.Name));
        JsonShape.AssertSubset(JsonShape.Paths(events.Select(static e => e.Data)), JsonShape.Paths(recorded),
            "anthropic/anthropic-text.chunks.txt");
    }

    [Fact]
    public async Task Messages_StatusControlAnswersWithAnthropicErrorShape()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1/messages", "{}", ("x-sim-status", "529")));

        Assert.Equal(529, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("overloaded_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }
}
