using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Cohere;
using Gateway.Fast.Compat.Gemini;
using Gateway.Fast.Tests.Simulator;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Gemini;

/// <summary>
/// Translator → simulator → translator: the native request each translator writes is answered by the simulator in the
/// provider's wire shape (a tool call when tools are declared), and translated back.
/// </summary>
public sealed class SimulatorRoundTripTests : IClassFixture<SimulatorFixture>
{
    private const string WithTools = """
        {"messages":[{"role":"user","content":"What is the weather in Paris?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
        """;

    private readonly SimulatorFixture _sim;

    public SimulatorRoundTripTests(SimulatorFixture sim) => _sim = sim;

    public static TheoryData<string, bool> Providers => new() { { "gemini", false }, { "gemini", true }, { "cohere", false }, { "cohere", true } };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DeclaredTools_AreAnsweredWithAToolCall(string provider, bool stream)
    {
        IChatTranslator translator = provider == "gemini" ? new GeminiTranslator() : new CohereTranslator();
        string body = Request(translator, WithTools, provider == "gemini" ? "gemini-2.5-flash" : "command-r-plus", out string path, stream);

        var (response, native) = await _sim.SendAsync(_sim.Post("/" + path, body));

        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(native));
        if (!stream)
        {
            var message = JsonNode.Parse(Complete(translator, native, provider + "/m"))!["choices"]![0]!;
            Assert.Equal("tool_calls", (string?)message["finish_reason"]);
            Assert.Equal("get_weather", (string?)message["message"]!["tool_calls"]![0]!["function"]!["name"]);
            Assert.Equal("{}", (string?)message["message"]!["tool_calls"]![0]!["function"]!["arguments"]);
            return;
        }

        var chunks = Chunks(StreamEverySplit(translator, native, provider + "/m"), out bool done);
        Assert.True(done);
        Assert.Equal("tool_calls", FinishReason(chunks));
        Assert.Equal("{}", GeminiStreamTranslationTests.ToolArguments(chunks, 0));
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Count > 0 && (string?)c["choices"]![0]!["delta"]!["tool_calls"]?[0]?["function"]?["name"] == "get_weather");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PlainChat_IsAnsweredWithText(string provider, bool stream)
    {
        IChatTranslator translator = provider == "gemini" ? new GeminiTranslator() : new CohereTranslator();
        string body = Request(translator, """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}]}""",
            provider == "gemini" ? "gemini-2.5-flash" : "command-r-plus", out string path, stream);

        var (response, native) = await _sim.SendAsync(_sim.Post("/" + path, body));

        Assert.True(response.IsSuccessStatusCode);
        string text = stream
            ? Content(Chunks(StreamEverySplit(translator, native, provider + "/m"), out _))
            : (string)JsonNode.Parse(Complete(translator, native, provider + "/m"))!["choices"]![0]!["message"]!["content"]!;
        Assert.StartsWith("Hello from the simulated provider", text);
    }

    [Theory]
    [InlineData("gemini")]
    [InlineData("cohere")]
    public async Task Embeddings_RoundTripOneVectorPerInput(string provider)
    {
        IEmbeddingsTranslator translator = provider == "gemini" ? new GeminiEmbeddingsTranslator() : new CohereEmbeddingsTranslator();
        using var request = JsonDocument.Parse("""{"input":["one","two","three"]}""");
        var body = new ArrayBufferWriter<byte>();
        Assert.Null(translator.WriteRequest(request.RootElement, provider == "gemini" ? "text-embedding-004" : "embed-v4.0", body, out string path));

        var (response, native) = await _sim.SendAsync(_sim.Post("/" + path, Encoding.UTF8.GetString(body.WrittenSpan)));

        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(native));
        var output = new ArrayBufferWriter<byte>();
        translator.WriteResponse(native, provider + "/m", false, output);
        var data = JsonNode.Parse(output.WrittenSpan)!["data"]!.AsArray();
        Assert.Equal(3, data.Count);
        Assert.Equal(2, (int)data[2]!["index"]!);
        Assert.Equal(provider == "gemini" ? 768 : 1024, data[0]!["embedding"]!.AsArray().Count);
    }
}
