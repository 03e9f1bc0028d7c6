using System.Buffers;
using System.Text;
using Gateway.Fast.Simulator;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;
using static Gateway.Fast.Tests.Compat.Anthropic.AnthropicCompatHarness;

namespace Gateway.Fast.Tests.Compat.Anthropic;

/// <summary>
/// OpenAI request → translated Messages body → the simulator's peek, key and answer → translated back → the OpenAI SDK:
/// the path the compat route takes, without the hosts.
/// </summary>
public sealed class AnthropicSimulatorRoundTripTests
{
    private const string ToolRequest = """
        {"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"Weather in Paris?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"query":{"type":"string"}}}}}]}
        """;

    [Fact]
    public async Task ToolRequest_GetsAToolCall_Plain()
    {
        SimResponse answer = Simulate(ToolRequest, stream: false);

        OpenAI.Chat.ChatCompletion completion = (await CompleteWithSdk(Response(Encoding.UTF8.GetString(answer.Body)))).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        ChatToolCall call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("toolu_01", call.Id);
        Assert.Equal("{\"query\":\"Hello from the simulated\"}", call.FunctionArguments.ToString());
    }

    [Fact]
    public async Task ToolRequest_GetsAToolCall_Streamed()
    {
        SimResponse answer = Simulate(ToolRequest, stream: true);
        Assert.True(answer.TokenEvents > 1);

        StreamResult result = await ReadWithSdk(StreamEverySplit(answer.Body));
        Assert.Equal("I'll call get_weather.", result.Content.ToString());
        ToolCallResult call = Assert.Single(result.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("{\"query\": \"Hello from the simulated\"}", call.Arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, result.FinishReason);
    }

    [Fact]
    public async Task RequestWithoutTools_StillGetsText()
    {
        SimResponse answer = Simulate("""{"messages":[{"role":"user","content":"Hi"}]}""", stream: true);

        StreamResult result = await ReadWithSdk(StreamEverySplit(answer.Body));
        Assert.StartsWith("Hello from the simulated", result.Content.ToString());
        Assert.Empty(result.ToolCalls);
        Assert.Equal(ChatFinishReason.Stop, result.FinishReason);
    }

    [Fact]
    public void Peek_ReadsTheFirstToolName_InAnthropicAndOpenAIShapes()
    {
        Assert.Equal("a", RequestPeek.Parse(new ReadOnlySequence<byte>("""{"tools":[{"name":"a","input_schema":{"name":"x"}},{"name":"b"}]}"""u8.ToArray())).ToolName);
        Assert.Equal("f", RequestPeek.Parse(new ReadOnlySequence<byte>("""{"tools":[{"type":"function","function":{"name":"f"}}]}"""u8.ToArray())).ToolName);
        Assert.Null(RequestPeek.Parse(new ReadOnlySequence<byte>("""{"tools":[],"model":"m"}"""u8.ToArray())).ToolName);
    }

    private static SimResponse Simulate(string openAIRequest, bool stream)
    {
        string native = Request(openAIRequest, stream);
        RequestPeek peek = RequestPeek.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(native)));
        var headers = new HeaderDictionary { ["x-sim-tokens"] = "4" };
        ResponseKey key = SimulatorHandler.CreateKey(SimRouter.Parse("/v1/messages", ""), peek, SimulatorControls.Parse(headers));
        return new ResponseCache().Get(key);
    }
}
