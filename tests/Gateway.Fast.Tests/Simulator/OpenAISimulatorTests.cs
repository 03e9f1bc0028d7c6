using System.Net.Http;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Simulator;

public sealed class OpenAISimulatorTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public OpenAISimulatorTests(SimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task ChatCompletion_PlainMatchesRecordedShapeAndCountsUsage()
    {
        const string Request = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there, simulator\"}]}";
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1/chat/completions", Request, ("x-sim-tokens", "7")));

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("gpt-4o-mini", root.GetProperty("model").GetString());
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString());
        Assert.Equal("stop", root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        JsonElement usage = root.GetProperty("usage");
        Assert.Equal(Encoding.UTF8.GetByteCount(Request) / 4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 7, usage.GetProperty("total_tokens").GetInt32());
        JsonShape.AssertSubset(JsonShape.Paths(Encoding.UTF8.GetString(body)),
            JsonShape.Paths(FixtureFiles.ReadText("openai/openai-text.json")), "openai/openai-text.json");
    }

    [Fact]
    public async Task ChatCompletion_StreamSendsChunksUsageAndDone()
    {
        const string Request = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1/chat/completions", Request, ("x-sim-tokens", "5")));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.Take(events.Count - 1).Select(static e => e.Data).ToList();
        Assert.Equal(1 + 5 + 1 + 1, chunks.Count);

        var text = new StringBuilder();
        foreach (string chunk in chunks)
        {
            using var doc = JsonDocument.Parse(chunk);
            Assert.Equal("chat.completion.chunk", doc.RootElement.GetProperty("object").GetString());
            JsonElement choices = doc.RootElement.GetProperty("choices");
            if (choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var c))
            {
                text.Append(c.GetString());
            }
        }

        Assert.Equal("Hello from the simulated provider", text.ToString());
        using var last = JsonDocument.Parse(chunks[^1]);
        Assert.Equal(0, last.RootElement.GetProperty("choices").GetArrayLength());
        Assert.Equal(5, last.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        using var finish = JsonDocument.Parse(chunks[^2]);
        Assert.Equal("stop", finish.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        var recorded = SseText.Parse(FixtureFiles.ReadText("openai/chat-stream-text.sse"));
        var recordedPaths = JsonShape.Paths(recorded.Where(static e => e.Data != "[DONE]").Select(static e => e.Data));
        recordedPaths.UnionWith(JsonShape.Paths(FixtureFiles.ReadText("openai/openai-text.json")));
        JsonShape.AssertSubset(JsonShape.Paths(chunks), recordedPaths, "openai/chat-stream-text.sse + openai-text.json");
    }

    [Fact]
    public async Task ChatCompletion_StreamWithoutIncludeUsageHasNoUsageChunk()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v1/chat/completions", "{\"stream\":true}", ("x-sim-tokens", "3")));

        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        Assert.Equal(1 + 3 + 1 + 1, events.Count);
        Assert.DoesNotContain(events, static e => e.Data.Contains("\"usage\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/openai/v1/chat/completions")]
    [InlineData("/chat/completions")]
    [InlineData("/client/v4/accounts/acct/ai/v1/chat/completions")]
    [InlineData("/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21")]
    public async Task ChatCompletion_AnswersOnEveryCompatibleBasePath(string path)
    {
        var (response, body) = await _sim.SendAsync(_sim.Post(path, "{\"model\":\"llama-3.3-70b-versatile\"}"));

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Completions_LegacyStreamEndsWithStopAndDone()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"stream\":true}",
            ("x-sim-tokens", "2")));

        var events = SseText.Parse(Encoding.UTF8.GetString(body));
        Assert.Equal(4, events.Count);
        using var finish = JsonDocument.Parse(events[2].Data);
        Assert.Equal("text_completion", finish.RootElement.GetProperty("object").GetString());
        Assert.Equal("stop", finish.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("[DONE]", events[3].Data);
    }

    [Fact]
    public async Task Embeddings_ReturnDeterministicVectorsPerInput()
    {
        const string Request = "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"dimensions\":8}";
        var (_, first) = await _sim.SendAsync(_sim.Post("/v1/embeddings", Request));
        var (_, second) = await _sim.SendAsync(_sim.Post("/v1/embeddings", Request));

        Assert.Equal(first, second);
        using var doc = JsonDocument.Parse(first);
        JsonElement data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal(8, data[1].GetProperty("embedding").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Embeddings_Base64EncodingCarriesFloat32Vector()
    {
        var (_, body) = await _sim.SendAsync(_sim.Post("/v1/embeddings", "{\"input\":\"x\",\"encoding_format\":\"base64\",\"dimensions\":4}"));

        using var doc = JsonDocument.Parse(body);
        byte[] raw = Convert.FromBase64String(doc.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal(4 * sizeof(float), raw.Length);
    }

    [Fact]
    public async Task Models_ListsModelObjects()
    {
        string body = await _sim.Client.GetStringAsync(_sim.Host.BaseUrl + "/v1/models");

        using var doc = JsonDocument.Parse(body);
        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal("model", doc.RootElement.GetProperty("data")[0].GetProperty("object").GetString());
    }

    [Fact]
    public async Task Responses_PlainAndStreamedCarryUsage()
    {
        var (_, plain) = await _sim.SendAsync(_sim.Post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\"}", ("x-sim-tokens", "3")));
        using var doc = JsonDocument.Parse(plain);
        Assert.Equal("response", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal("completed", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        var (_, streamed) = await _sim.SendAsync(_sim.Post("/v1/responses", "{\"stream\":true}", ("x-sim-tokens", "3")));
        var events = SseText.Parse(Encoding.UTF8.GetString(streamed));
        Assert.Equal("response.created", events[0].Name);
        Assert.Equal(3, events.Count(static e => e.Name == "response.output_text.delta"));
        Assert.Equal("response.completed", events[^1].Name);
    }

    [Fact]
    public async Task ChatCompletion_StatusControlAnswersWithOpenAIErrorShape()
    {
        var (response, body) = await _sim.SendAsync(_sim.Post("/v1/chat/completions", "{}", ("x-sim-status", "429")));

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("retry-after").Single());
        using var doc = JsonDocument.Parse(body);
        JsonElement error = doc.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(error.TryGetProperty("message", out _) && error.TryGetProperty("type", out _));
    }

    [Fact]
    public async Task UnknownRoute_AnswersNotFoundInOpenAIShape()
    {
        var (response, body) = await _sim.SendAsync(new HttpRequestMessage(HttpMethod.Get, _sim.Host.BaseUrl + "/v1/nothing-here"));

        Assert.Equal(404, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("unknown_url", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
