using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Compat.Bedrock;
using Gateway.Fast.Tests.Simulator;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>Whole Converse responses (recorded, or rebuilt from a cassette's parsed values) into OpenAI chat.completion objects.</summary>
public sealed class BedrockResponseTranslationTests
{
    private static JsonElement Translate(string native)
    {
        var output = new ArrayBufferWriter<byte>();
        new BedrockConverseTranslator().WriteResponse(Encoding.UTF8.GetBytes(native), BedrockTestData.Info, output);
        return JsonDocument.Parse(output.WrittenMemory).RootElement;
    }

    [Fact]
    public void RecordedTextResponse_BecomesAChatCompletion()
    {
        var completion = Translate(FixtureFiles.ReadText("bedrock/amazon-bedrock-text.json"));

        Assert.Equal("chatcmpl-test", completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("aws-bedrock/amazon.nova-pro-v1:0", completion.GetProperty("model").GetString());
        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** \"r\"s in \"strawberry.\"",
            choice.GetProperty("message").GetProperty("content").GetString());
        var usage = completion.GetProperty("usage");
        Assert.Equal(22, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(57, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(79, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void ToolUseWithReasoning_BecomesToolCallsReasoningAndText()
    {
        // cassette-converse-tool-use-with-reasoning.yaml, first response, its parsed_body as JSON.
        var completion = Translate("""
            {"metrics":{"latencyMs":3896},"output":{"message":{"content":[
              {"reasoningContent":{"reasoningText":{"signature":"ErcBCkgIBhABGAIiQDYN","text":"The user is asking for the largest city in their country."}}},
              {"text":"I'll need to check what country you're from to answer that question."},
              {"toolUse":{"input":{},"name":"get_user_country","toolUseId":"tooluse_W9DaUFg4Tj2cRPpndqxWSg"}}],"role":"assistant"}},
             "stopReason":"tool_use",
             "usage":{"cacheReadInputTokenCount":0,"cacheReadInputTokens":0,"cacheWriteInputTokenCount":0,"cacheWriteInputTokens":0,
               "inputTokens":397,"outputTokens":130,"totalTokens":527}}
            """);

        var choice = completion.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("I'll need to check what country you're from to answer that question.", message.GetProperty("content").GetString());
        Assert.Equal("The user is asking for the largest city in their country.", message.GetProperty("reasoning_content").GetString());
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("tooluse_W9DaUFg4Tj2cRPpndqxWSg", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_user_country", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{}", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal(397, completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData(1322, 0, 1324, 0)] // cassette-converse-cache-write-read.yaml, first call: the cache is written
    [InlineData(0, 1322, 1324, 1322)] // second call: read from the cache
    public void CacheTokens_CountInPromptTokensAndReadsAsCached(int write, int read, int prompt, int cached)
    {
        var completion = Translate($$$"""
            {"output":{"message":{"content":[{"text":"Hello"}],"role":"assistant"}},"stopReason":"end_turn",
             "usage":{"cacheReadInputTokenCount":{{{read}}},"cacheReadInputTokens":{{{read}}},"cacheWriteInputTokenCount":{{{write}}},
               "cacheWriteInputTokens":{{{write}}},"inputTokens":2,"outputTokens":5,"totalTokens":{{{2 + 5 + read + write}}}}}
            """);

        var usage = completion.GetProperty("usage");
        Assert.Equal(prompt, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(cached, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("content_filtered", "content_filter")]
    public void StopReasons_MapToFinishReasons(string stopReason, string finish)
    {
        var completion = Translate($$$"""
            {"output":{"message":{"content":[{"text":"x"}],"role":"assistant"}},"stopReason":"{{{stopReason}}}","usage":{"inputTokens":1,"outputTokens":1}}
            """);

        Assert.Equal(finish, completion.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void ForcedJsonTool_ComesBackAsContentWithStop()
    {
        var completion = Translate("""
            {"output":{"message":{"content":[{"toolUse":{"input":{"name":"Paris"},"name":"gateway_json_response","toolUseId":"tooluse_1"}}],"role":"assistant"}},
             "stopReason":"tool_use","usage":{"inputTokens":10,"outputTokens":4}}
            """);

        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("""{"name":"Paris"}""", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    [Theory]
    [InlineData("""{"message":"The provided model identifier is invalid."}""", "The provided model identifier is invalid.")]
    [InlineData("""{"__type":"com.amazon.coral.service#UnrecognizedClientException","Message":"The security token included in the request is invalid."}""",
        "The security token included in the request is invalid.")]
    [InlineData("<html>Bad gateway</html>", null)]
    public void ErrorBodies_YieldTheirMessage(string body, string? expected)
        => Assert.Equal(expected, new BedrockConverseTranslator().ReadErrorMessage(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void RecordedStreamError_IsAPlainJsonBodyWithAMessage()
    {
        // cassette-error-400-converse-stream.yaml: a model error on converse-stream is an HTTP 400 JSON body, not a frame.
        string cassette = FixtureFiles.ReadText("bedrock/cassette-error-400-converse-stream.yaml");
        int at = cassette.IndexOf("message: ", cassette.IndexOf("parsed_body:", StringComparison.Ordinal), StringComparison.Ordinal);
        string message = cassette[(at + "message: ".Length)..cassette.IndexOf('\n', at)].Trim();
        string body = JsonSerializer.Serialize(new { message });

        Assert.Equal(message, new BedrockConverseTranslator().ReadErrorMessage(Encoding.UTF8.GetBytes(body)));
    }
}
