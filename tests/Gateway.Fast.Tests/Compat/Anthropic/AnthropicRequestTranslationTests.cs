using static Gateway.Fast.Tests.Compat.Anthropic.AnthropicCompatHarness;

namespace Gateway.Fast.Tests.Compat.Anthropic;

/// <summary>Golden request translations: an OpenAI chat request in, the exact Messages body out (compared as parsed JSON).</summary>
public sealed class AnthropicRequestTranslationTests
{
    [Fact]
    public void SystemAndTurns_BecomeTopLevelSystemAndBlocks_WithDefaultMaxTokens()
    {
        string body = Request("""
            {"model":"anthropic/claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},
             "messages":[
               {"role":"system","content":"You are terse."},
               {"role":"user","content":"Hi"},
               {"role":"assistant","content":"Hello."},
               {"role":"user","content":[{"type":"text","text":"How are you?"}]}]}
            """, stream: true);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":4096,"system":"You are terse.",
             "messages":[
               {"role":"user","content":[{"type":"text","text":"Hi"}]},
               {"role":"assistant","content":[{"type":"text","text":"Hello."}]},
               {"role":"user","content":[{"type":"text","text":"How are you?"}]}],
             "stream":true}
            """, body);
    }

    [Fact]
    public void ExtraHeaders_CarryTheApiVersion()
    {
        var header = Assert.Single(Translator.ExtraHeaders);
        Assert.Equal("anthropic-version", header.Key);
        Assert.Equal("2023-06-01", header.Value);
    }

    [Fact]
    public void ToolRoundTrip_MatchesTheRecordedParallelToolCallRequest()
    {
        // The OpenAI form of the second request in anthropic/cassette-parallel-tool-calls.yaml.
        string body = Request("""
            {"model":"anthropic/claude-haiku-4-5","max_tokens":4096,"tool_choice":"auto",
             "tools":[{"type":"function","function":{"name":"retrieve_entity_info","description":"Get the knowledge about the given entity.",
               "parameters":{"additionalProperties":false,"properties":{"name":{"type":"string"}},"required":["name"],"type":"object"}}}],
             "messages":[
               {"role":"system","content":"Use the tool."},
               {"role":"user","content":"Alice, Bob, Charlie and Daisy are a family. Who is the youngest?"},
               {"role":"assistant","content":"I'll retrieve their entity information.","tool_calls":[
                 {"id":"toolu_0167cfEnoQaPviGdVXA95zcu","type":"function","function":{"name":"retrieve_entity_info","arguments":"{\"name\": \"Alice\"}"}},
                 {"id":"toolu_01EEe2V5HD1Ac4rKiUR4HD2T","type":"function","function":{"name":"retrieve_entity_info","arguments":"{\"name\":\"Bob\"}"}}]},
               {"role":"tool","tool_call_id":"toolu_0167cfEnoQaPviGdVXA95zcu","content":"alice is bob's wife"},
               {"role":"tool","tool_call_id":"toolu_01EEe2V5HD1Ac4rKiUR4HD2T","content":"bob is alice's husband"}]}
            """);

        AssertJsonEqual("""
            {"model":"claude-haiku-4-5","max_tokens":4096,"system":"Use the tool.",
             "messages":[
               {"role":"user","content":[{"type":"text","text":"Alice, Bob, Charlie and Daisy are a family. Who is the youngest?"}]},
               {"role":"assistant","content":[
                 {"type":"text","text":"I'll retrieve their entity information."},
                 {"type":"tool_use","id":"toolu_0167cfEnoQaPviGdVXA95zcu","name":"retrieve_entity_info","input":{"name":"Alice"}},
                 {"type":"tool_use","id":"toolu_01EEe2V5HD1Ac4rKiUR4HD2T","name":"retrieve_entity_info","input":{"name":"Bob"}}]},
               {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"toolu_0167cfEnoQaPviGdVXA95zcu","content":"alice is bob's wife"},
                 {"type":"tool_result","tool_use_id":"toolu_01EEe2V5HD1Ac4rKiUR4HD2T","content":"bob is alice's husband"}]}],
             "tools":[{"name":"retrieve_entity_info","description":"Get the knowledge about the given entity.",
               "input_schema":{"additionalProperties":false,"properties":{"name":{"type":"string"}},"required":["name"],"type":"object"}}],
             "tool_choice":{"type":"auto"}}
            """, body);
    }

    [Fact]
    public void SameRoleTurns_AreMerged_AndSystemMessagesAnywhereJoinTheSystemBlocks()
    {
        string body = Request("""
            {"messages":[
               {"role":"developer","content":"Rule one."},
               {"role":"user","content":"A"},
               {"role":"user","content":[{"type":"text","text":"B"},{"type":"text","text":""}]},
               {"role":"system","content":[{"type":"text","text":"Rule two."}]},
               {"role":"assistant","content":""},
               {"role":"assistant","content":"C"},
               {"role":"assistant","content":[{"type":"text","text":"D"}]},
               {"role":"tool","tool_call_id":"t1","content":[{"type":"text","text":"r"}]},
               {"role":"user","content":"E"}]}
            """);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":4096,
             "system":[{"type":"text","text":"Rule one."},{"type":"text","text":"Rule two."}],
             "messages":[
               {"role":"user","content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]},
               {"role":"assistant","content":[{"type":"text","text":"C"},{"type":"text","text":"D"}]},
               {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"r"}]},
                 {"type":"text","text":"E"}]}]}
            """, body);
    }

    [Fact]
    public void Images_DataUrlsBecomeBase64Sources_HttpUrlsBecomeUrlSources()
    {
        string body = Request("""
            {"messages":[{"role":"user","content":[
               {"type":"text","text":"Compare"},
               {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
               {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
               {"type":"image_url","image_url":{"url":"data:application/pdf;base64,JVBERi0x\/"}}]}]}
            """);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":[
               {"type":"text","text":"Compare"},
               {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
               {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
               {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x/"}}]}]}
            """, body);
    }

    [Fact]
    public void SamplingStopAndLimits_AreMapped_AndUnknownKnobsDropped()
    {
        string body = Request("""
            {"messages":[{"role":"user","content":"Hi"}],
             "max_tokens":100,"max_completion_tokens":200,"temperature":0.5,"top_p":0.9,"top_k":40,
             "stop":["END","STOP"],"seed":7,"frequency_penalty":0.1,"presence_penalty":0.2,"user":"u-42",
             "thinking":{"type":"enabled","budget_tokens":1024}}
            """);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":200,
             "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "stop_sequences":["END","STOP"],"temperature":0.5,"top_p":0.9,"top_k":40,
             "thinking":{"type":"enabled","budget_tokens":1024},"metadata":{"user_id":"u-42"}}
            """, body);
    }

    [Fact]
    public void StopString_BecomesAOneElementArray() =>
        Assert.Contains("\"stop_sequences\":[\"\\n\\n\"]", Request("""{"messages":[{"role":"user","content":"Hi"}],"stop":"\n\n"}"""));

    [Theory]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", """{"type":"tool","name":"f"}""")]
    public void ToolChoice_MapsToAnthropicsForms(string openAI, string anthropic)
    {
        string body = Request($$$"""
            {"messages":[{"role":"user","content":"Hi"}],"tool_choice":{{{openAI}}},
             "tools":[{"type":"function","function":{"name":"f"}}]}
            """);

        AssertJsonEqual($$$"""
            {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "tools":[{"name":"f","input_schema":{"type":"object","properties":{} } }],"tool_choice":{{{anthropic}}} }
            """, body);
    }

    [Fact]
    public void ParallelToolCallsFalse_DisablesParallelToolUse()
    {
        string body = Request("""
            {"messages":[{"role":"user","content":"Hi"}],"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}
            """);

        Assert.Contains("\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}", body);
    }

    [Fact]
    public void ToolChoiceWithoutTools_IsDropped() =>
        Assert.DoesNotContain("tool_choice", Request("""{"messages":[{"role":"user","content":"Hi"}],"tool_choice":"none"}"""));

    [Fact]
    public void JsonSchema_BecomesAForcedTool()
    {
        string body = Request("""
            {"messages":[{"role":"user","content":"Weather?"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,
               "schema":{"type":"object","properties":{"temp":{"type":"number"}},"required":["temp"]}}}}
            """);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]}],
             "tools":[{"name":"gateway_json_response","description":"Give your final answer by calling this tool.",
               "input_schema":{"type":"object","properties":{"temp":{"type":"number"}},"required":["temp"]}}],
             "tool_choice":{"type":"tool","name":"gateway_json_response"}}
            """, body);
    }

    [Fact]
    public void JsonSchemaWithCallerTools_LetsTheModelPickAnyTool()
    {
        string body = Request("""
            {"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f"}}],
             "response_format":{"type":"json_schema","json_schema":{"name":"x","description":"An x.","schema":{"type":"object"}}}}
            """);

        Assert.Contains("\"tool_choice\":{\"type\":\"any\"}", body);
        Assert.Contains("{\"name\":\"gateway_json_response\",\"description\":\"Give your final answer by calling this tool. An x.\",\"input_schema\":{\"type\":\"object\"}}", body);
    }

    [Fact]
    public void JsonObject_AddsTheSystemInstruction()
    {
        string body = Request("""
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"List two colours"}],
             "response_format":{"type":"json_object"}}
            """);

        AssertJsonEqual($$"""
            {"model":"claude-sonnet-4-5","max_tokens":4096,
             "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"{{Gateway.Fast.Compat.Anthropic.AnthropicRequestWriter.JsonObjectInstruction}}"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"List two colours"}]}]}
            """, body);
    }

    [Fact]
    public void ToolCallWithEmptyArguments_SendsAnEmptyObject()
    {
        string body = Request("""
            {"messages":[{"role":"user","content":"Go"},
               {"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"go","arguments":""}}]},
               {"role":"tool","tool_call_id":"t","content":""}]}
            """);

        Assert.Contains("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"go\",\"input\":{}}", body);
        Assert.Contains("{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}", body);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"n":2}""", "'n' must be 1")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logprobs":true}""", "log probabilities")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logit_bias":{"50256":-100}}""", "logit_bias")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":0}""", "positive integers")]
    [InlineData("""{"messages":[{"role":"function","name":"f","content":"x"}]}""", "role: function")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]}""", "input_audio")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "http(s) URLs")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,abc"}}]}]}""", "base64-encoded")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}""", "not valid JSON")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}""", "must be a JSON object")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"gateway_json_response"}}]}""", "reserved")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"web_search"}]}""", "type 'function'")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tool_choice":"none","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}}""", "tool_choice: none")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"functions":[{"name":"f"}]}""", "legacy")]
    [InlineData("""{"messages":"Hi"}""", "'messages' must be an array")]
    public void Untranslatable_IsRefusedWithAClearMessage(string openAI, string expectedFragment)
    {
        string? error = TryRequest(openAI, out _, out _);
        Assert.NotNull(error);
        Assert.Contains(expectedFragment, error);
    }
}
