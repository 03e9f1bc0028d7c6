using System.Text;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class GeminiSimulatorTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public GeminiSimulatorTests(SimulatorFixture sim) => _sim = sim;

    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("/v1/models/gemini-2.5-flash:generateContent")]
    [InlineData("/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent")]
    public async Task GenerateContent_PlainMatchesRecordedShape(string path)
    {
        var (response, body) = await _sim.SendAsync(_sim.Post(path, "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", ("x-sim-tokens", "3")));

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.Equal("Hello from the", root.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("STOP", root.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        JsonElement usage = root.GetProperty("usageMetadata");
        Assert.Equal(3, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(usage.GetProperty("promptTokenCount").GetInt32() + 3, usage.GetProperty("totalTokenCount").GetInt32());
        Assert.Equal("gemini-2.5-flash", root.GetProperty("modelVersion").GetString());
        JsonShape.AssertSubset(JsonShape.Paths(Encoding.UTF8.GetString(body)),
            JsonShape.Paths(FixtureFiles.ReadText("google/google-text.json")), "google/google-text.json");
    }

    [Fact]
    public async Task StreamGenerateContent_AltSseUsesCrLfFramingLikeRecording()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "{}",
            ("x-sim-tokens", "3")));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        string text = Encoding.UTF8.GetString(body);
        Assert.Equal(3, text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("}\r\n\r\n", text);
        Assert.Contains("}\\r\\n\\r\\ndata: {", FixtureFiles.ReadText("google/cassette-stream-text.yaml"));

        var chunks = SseText.Parse(text).Select(static e => e.Data).ToList();
        using var last = JsonDocument.Parse(chunks[^1]);
        Assert.Equal("STOP", last.RootElement.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal(3, last.RootElement.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
        JsonShape.AssertSubset(JsonShape.Paths(chunks), JsonShape.Paths(FixtureFiles.ReadLines("google/google-text.chunks.txt")),
            "google/google-text.chunks.txt");
    }

    [Fact]
    public async Task StreamGenerateContent_WithoutAltSseIsOneJsonArray()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "{}",
            ("x-sim-tokens", "4")));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(4, doc.RootElement.GetArrayLength());
        Assert.Equal("STOP", doc.RootElement[3].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task GenerateContent_StatusControlAnswersWithGoogleErrorShape()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1beta/models/gemini-2.5-flash:generateContent", "{}",
            ("x-sim-status", "429")));

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("retry-after").Single());
        using var doc = JsonDocument.Parse(body);
        JsonElement error = doc.RootElement.GetProperty("error");
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }
}
