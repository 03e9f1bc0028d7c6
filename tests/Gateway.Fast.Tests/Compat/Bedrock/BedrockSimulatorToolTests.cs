using System.Buffers;
using System.Text.Json;
using Gateway.Fast.Compat.Bedrock;
using Gateway.Fast.Simulator;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>The simulator answers a translated Converse request that offers tools with a tool call the translator reads back.</summary>
public sealed class BedrockSimulatorToolTests
{
    private const string OpenAIRequest = """
        {"model":"nova-pro","messages":[{"role":"user","content":"Weather in Paris?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
        """;

    private static ResponseKey KeyFor(string openAiJson, bool stream)
    {
        using var doc = JsonDocument.Parse(openAiJson);
        var body = new ArrayBufferWriter<byte>();
        Assert.Null(new BedrockConverseTranslator().WriteRequest(
            new Gateway.Fast.Compat.CompatChatRequest(doc.RootElement, "nova-pro", stream, false), body, out string path));
        var route = SimRouter.Parse("/" + Uri.UnescapeDataString(path), "");
        var peek = RequestPeek.Parse(new ReadOnlySequence<byte>(body.WrittenMemory));
        return SimulatorHandler.CreateKey(route, peek, SimulatorControls.Parse(new HeaderDictionary()));
    }

    [Fact]
    public void Converse_WithTools_AnswersWithAToolCall()
    {
        var key = KeyFor(OpenAIRequest, stream: false);
        Assert.Equal(SimEndpoint.BedrockConverse, key.Endpoint);
        var output = new ArrayBufferWriter<byte>();

        new BedrockConverseTranslator().WriteResponse(BedrockResponses.Converse(key).Body, BedrockTestData.Info, output);

        var choice = JsonDocument.Parse(output.WrittenMemory).RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("arguments").GetString());
    }

    [Fact]
    public void ConverseStream_WithTools_StreamsAToolCallInFragments()
    {
        var key = KeyFor(OpenAIRequest, stream: true);
        Assert.Equal(SimEndpoint.BedrockConverseStream, key.Endpoint);

        string sse = BedrockTestData.RunStream(BedrockResponses.ConverseStream(key).Body, static () => 1);

        var choices = BedrockTestData.DataEvents(sse).SkipLast(1).Select(static e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0]).ToList();
        var calls = choices.Where(static c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(static c => c.GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function")).ToList();
        Assert.Equal("get_weather", calls[0].GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(calls.Select(static c => c.GetProperty("arguments").GetString())));
        Assert.Equal("tool_calls", choices[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void Converse_WithoutTools_StillAnswersWithText()
    {
        var key = KeyFor("""{"model":"nova-pro","messages":[{"role":"user","content":"hi"}],"stream":false}""", stream: false);
        var output = new ArrayBufferWriter<byte>();

        new BedrockConverseTranslator().WriteResponse(BedrockResponses.Converse(key).Body, BedrockTestData.Info, output);

        var choice = JsonDocument.Parse(output.WrittenMemory).RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.StartsWith("Hello from the simulated provider", choice.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
    }
}
