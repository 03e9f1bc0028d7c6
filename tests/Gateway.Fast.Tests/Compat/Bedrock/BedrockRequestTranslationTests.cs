using System.Text.Json.Nodes;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>OpenAI chat requests in, the exact Converse body and path out (compared as parsed JSON).</summary>
public sealed class BedrockRequestTranslationTests
{
    private static void AssertBody(string expected, JsonNode? actual)
        => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public void SystemMultiTurnToolsAndSampling_TranslateToConverse()
    {
        var (error, path, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[
              {"role":"system","content":"You are terse."},
              {"role":"user","content":"What is the weather in Paris?"},
              {"role":"assistant","content":"Which unit?"},
              {"role":"user","content":[{"type":"text","text":"Celsius"}]}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}}],
             "tool_choice":"auto","max_tokens":256,"temperature":0.2,"top_p":0.9,"stop":["END"],"seed":7,"user":"u1"}
            """);

        Assert.Null(error);
        Assert.Equal("model/amazon.nova-pro-v1%3A0/converse", path);
        AssertBody("""
            {"system":[{"text":"You are terse."}],
             "messages":[
               {"role":"user","content":[{"text":"What is the weather in Paris?"}]},
               {"role":"assistant","content":[{"text":"Which unit?"}]},
               {"role":"user","content":[{"text":"Celsius"}]}],
             "inferenceConfig":{"maxTokens":256,"temperature":0.2,"topP":0.9,"stopSequences":["END"]},
             "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Weather now.",
                "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}],
                "toolChoice":{"auto":{}}}}
            """, body);
    }

    [Fact]
    public void ToolCallsAndResults_BecomeToolUseAndMergedUserToolResults()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"amazon.nova-lite-v1:0","messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"},
              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]},
              {"role":"user","content":"Which is warmer?"},
              {"role":"system","content":"Answer in one word."}],
             "tools":[{"type":"function","function":{"name":"get_weather"}}],
             "max_completion_tokens":64,"max_tokens":999}
            """);

        Assert.Null(error);
        AssertBody("""
            {"system":[{"text":"Answer in one word."}],
             "messages":[
               {"role":"user","content":[{"text":"Weather in Paris and Rome?"}]},
               {"role":"assistant","content":[
                 {"toolUse":{"toolUseId":"call_1","name":"get_weather","input":{"city":"Paris"}}},
                 {"toolUse":{"toolUseId":"call_2","name":"get_weather","input":{}}}]},
               {"role":"user","content":[
                 {"toolResult":{"toolUseId":"call_1","content":[{"text":"18C"}]}},
                 {"toolResult":{"toolUseId":"call_2","content":[{"text":"21C"}]}},
                 {"text":"Which is warmer?"}]}],
             "inferenceConfig":{"maxTokens":64},
             "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object","properties":{}}}}}]}}
            """, body);
    }

    [Fact]
    public void DataUrlImage_BecomesAnImageBlockWithItsBytes()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-lite","messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg+/=="}}]}]}
            """);

        Assert.Null(error);
        AssertBody("""
            {"messages":[{"role":"user","content":[{"text":"What is this?"},
              {"image":{"format":"jpeg","source":{"bytes":"/9j/4AAQSkZJRg+/=="}}}]}]}
            """, body);
    }

    [Theory]
    [InlineData("https://example.com/cat.png", "not a data: URL")]
    [InlineData("data:image/tiff;base64,AAAA", "image/tiff")]
    [InlineData("data:image/png,rawbytes", "not base64")]
    public void ImagesConverseCannotTake_AreRejectedWithAClearMessage(string url, string expected)
    {
        var (error, _, _) = BedrockTestData.Translate($$$"""
            {"model":"nova-lite","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}]}
            """);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"required\"", """{"any":{}}""")]
    [InlineData("""{"type":"function","function":{"name":"lookup"}}""", """{"tool":{"name":"lookup"}}""")]
    public void ToolChoice_MapsToConverseToolChoice(string choice, string expected)
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],"tool_choice":
            """ + choice + "}");

        Assert.Null(error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body!["toolConfig"]!["toolChoice"]));
    }

    [Fact]
    public void ToolChoiceNone_LeavesTheToolsOut()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"lookup"}}],"tool_choice":"none"}
            """);

        Assert.Null(error);
        Assert.Null(body!["toolConfig"]);
    }

    [Fact]
    public void ToolChoiceNone_WithToolHistory_KeepsTheToolsWithoutAChoice()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[{"role":"user","content":"hi"},
              {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"ok"}],
             "tools":[{"type":"function","function":{"name":"lookup"}}],"tool_choice":"none"}
            """);

        Assert.Null(error);
        Assert.NotNull(body!["toolConfig"]!["tools"]);
        Assert.Null(body["toolConfig"]!["toolChoice"]);
    }

    [Fact]
    public void JsonSchemaResponseFormat_IsAForcedTool()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[{"role":"user","content":"Name a city."}],
             "response_format":{"type":"json_schema","json_schema":{"name":"city","strict":true,
               "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}}
            """);

        Assert.Null(error);
        AssertBody("""
            {"messages":[{"role":"user","content":[{"text":"Name a city."}]}],
             "toolConfig":{"tools":[{"toolSpec":{"name":"gateway_json_response",
                "description":"Respond with the answer as this tool's input, a JSON object.",
                "inputSchema":{"json":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}}],
              "toolChoice":{"tool":{"name":"gateway_json_response"}}}}
            """, body);
    }

    [Fact]
    public void JsonObjectResponseFormat_ForcesAnObjectSchemaTool()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[{"role":"user","content":"JSON please"}],"response_format":{"type":"json_object"}}
            """);

        Assert.Null(error);
        Assert.Equal("""{"type":"object"}""", body!["toolConfig"]!["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"n":2}""", "n must be 1")]
    [InlineData("""{"logprobs":true}""", "logprobs")]
    [InlineData("""{"response_format":{"type":"json_object"},"tools":[{"type":"function","function":{"name":"f"}}]}""", "cannot be combined with tools")]
    [InlineData("""{"tool_choice":"required"}""", "no tools")]
    [InlineData("""{"top_k":5}""", "top_k is not available for meta.llama3-70b-instruct-v1:0")]
    [InlineData("""{"temperature":"hot"}""", "temperature must be a number")]
    public void UntranslatableRequests_AreRejected(string extra, string expected)
    {
        var request = JsonNode.Parse("""{"model":"meta.llama3-70b-instruct-v1:0","messages":[{"role":"user","content":"hi"}]}""")!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(extra)!.AsObject())
        {
            request[key] = value?.DeepClone();
        }

        var (error, _, _) = BedrockTestData.Translate(request.ToJsonString());

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0", """{"top_k":40}""")]
    [InlineData("amazon.nova-micro-v1:0", """{"inferenceConfig":{"topK":40}}""")]
    public void TopK_GoesToTheModelFamilysOwnField(string model, string expected)
    {
        var (error, _, body) = BedrockTestData.Translate($$$"""
            {"model":"{{{model}}}","messages":[{"role":"user","content":"hi"}],"top_k":40}
            """);

        Assert.Null(error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body!["additionalModelRequestFields"]));
    }

    [Theory]
    [InlineData("nova-micro", false, "model/amazon.nova-micro-v1%3A0/converse")]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true, "model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0", false,
        "model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-pro-v1%3A0/converse")]
    public void ModelId_IsOnePercentEncodedPathLabel(string model, bool stream, string expected)
    {
        var (error, path, _) = BedrockTestData.Translate($$$"""
            {"model":"{{{model}}}","stream":{{{(stream ? "true" : "false")}}},"messages":[{"role":"user","content":"hi"}]}
            """);

        Assert.Null(error);
        Assert.Equal(expected, path);
    }

    [Fact]
    public void EmptyMessages_LeaveNoEmptyTurnsAndSameRoleTurnsMerge()
    {
        var (error, _, body) = BedrockTestData.Translate("""
            {"model":"nova-pro","messages":[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":"b"}]}
            """);

        Assert.Null(error);
        AssertBody("""{"messages":[{"role":"user","content":[{"text":"a"},{"text":"b"}]}]}""", body);
    }
}
