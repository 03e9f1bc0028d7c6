using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using static Gateway.Fast.Tests.Compat.Anthropic.AnthropicCompatHarness;

namespace Gateway.Fast.Tests.Compat.Anthropic;

/// <summary>Whole Messages bodies (recorded ones where they exist) into OpenAI <c>chat.completion</c> objects.</summary>
public sealed class AnthropicResponseTranslationTests
{
    [Fact]
    public void TextFixture_BecomesAChatCompletion()
    {
        string json = Response(Encoding.UTF8.GetString(Fixture("anthropic-text.json")));

        AssertJsonEqual("""
            {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"anthropic/claude-sonnet-4-5",
             "choices":[{"index":0,"message":{"role":"assistant",
               "content":"Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?"},
               "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":29,"total_tokens":41,"prompt_tokens_details":{"cached_tokens":0}}}
            """, json);
    }

    [Fact]
    public async Task ToolNoArgsFixture_GivesTextAndAToolCall_ThatTheOpenAISdkReads()
    {
        string json = Response(Encoding.UTF8.GetString(Fixture("anthropic-tool-no-args.json")));

        OpenAI.Chat.ChatCompletion completion = (await CompleteWithSdk(json)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.StartsWith("<thinking>", completion.Content[0].Text);
        ChatToolCall call = Assert.Single(completion.ToolCalls);
        Assert.Equal("toolu_01LRmxn9vGM1d2DZSDBowdZ1", call.Id);
        Assert.Equal("updateIssueList", call.FunctionName);
        Assert.Equal("{}", call.FunctionArguments.ToString());
        Assert.Equal(602, completion.Usage.InputTokenCount);
        Assert.Equal(93, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public void ParallelToolCalls_KeepEveryCallInOrder()
    {
        // anthropic/cassette-parallel-tool-calls.yaml, first response: its parsed_body written back as JSON.
        string json = Response("""
            {"content":[
               {"text":"I'll help you find out who is the youngest by retrieving information about each family member. I'll retrieve their entity information to compare their ages.","type":"text"},
               {"id":"toolu_0167cfEnoQaPviGdVXA95zcu","input":{"name":"Alice"},"name":"retrieve_entity_info","type":"tool_use"},
               {"id":"toolu_01EEe2V5HD1Ac4rKiUR4HD2T","input":{"name":"Bob"},"name":"retrieve_entity_info","type":"tool_use"},
               {"id":"toolu_01XFyAjstT3966qvRynZyVPo","input":{"name":"Charlie"},"name":"retrieve_entity_info","type":"tool_use"},
               {"id":"toolu_013mnQZbgtK2oe3Mo3XKJsx3","input":{"name":"Daisy"},"name":"retrieve_entity_info","type":"tool_use"}],
             "id":"msg_011S3wxtqL5CVescWqS3zeg2","model":"claude-haiku-4-5-20251001","role":"assistant","stop_reason":"tool_use",
             "stop_sequence":null,"type":"message",
             "usage":{"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},"cache_creation_input_tokens":0,
               "cache_read_input_tokens":0,"input_tokens":423,"output_tokens":157,"service_tier":"standard"}}
            """);

        using var doc = JsonDocument.Parse(json);
        JsonElement choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        JsonElement calls = choice.GetProperty("message").GetProperty("tool_calls");
        string[] names = ["Alice", "Bob", "Charlie", "Daisy"];
        Assert.Equal(names.Length, calls.GetArrayLength());
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal("function", calls[i].GetProperty("type").GetString());
            Assert.Equal($$"""{"name":"{{names[i]}}"}""", calls[i].GetProperty("function").GetProperty("arguments").GetString());
        }
    }

    [Theory]
    // anthropic/cassette-prompt-cache.yaml: the first call writes 1590 tokens to the cache, the second reads them.
    [InlineData(1590, 0, 1592, 0)]
    [InlineData(0, 1590, 1592, 1590)]
    public void PromptCacheUsage_CountsCacheTokensAsPromptTokens(int creation, int read, int prompt, int cached)
    {
        string json = Response($$$"""
            {"content":[{"text":"OK","type":"text"}],"id":"msg_011CdZ7H96cYjLa6r1Kjqx2H","model":"claude-opus-4-8","role":"assistant",
             "stop_details":null,"stop_reason":"end_turn","stop_sequence":null,"type":"message",
             "usage":{"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":{{{creation}}}},
               "cache_creation_input_tokens":{{{creation}}},"cache_read_input_tokens":{{{read}}},"inference_geo":"global",
               "input_tokens":2,"output_tokens":4,"output_tokens_details":{"thinking_tokens":0},"service_tier":"standard"}}
            """);

        using var doc = JsonDocument.Parse(json);
        JsonElement usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(prompt, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(prompt + 4, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(cached, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void Thinking_BecomesReasoningContent()
    {
        string json = Response("""
            {"type":"message","role":"assistant","content":[
               {"type":"thinking","thinking":"Two plus two.","signature":"EqQB"},
               {"type":"redacted_thinking","data":"xyz"},
               {"type":"text","text":"4"}],
             "stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":20}}
            """);

        using var doc = JsonDocument.Parse(json);
        JsonElement message = doc.RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("4", message.GetProperty("content").GetString());
        Assert.Equal("Two plus two.", message.GetProperty("reasoning_content").GetString());
    }

    [Fact]
    public void JsonSchemaToolCall_ComesBackAsContent()
    {
        string json = Response("""
            {"type":"message","role":"assistant","content":[
               {"type":"tool_use","id":"toolu_1","name":"gateway_json_response","input":{"temp":21.5,"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":20}}
            """);

        using var doc = JsonDocument.Parse(json);
        JsonElement choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("""{"temp":21.5,"city":"Paris"}""", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "stop")]
    public void StopReasons_MapToFinishReasons(string stopReason, string finishReason)
    {
        string json = Response($$$"""{"content":[{"type":"text","text":"x"}],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}""");
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(finishReason, doc.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Theory]
    // anthropic/cassette-error-400-invalid-request.yaml and cassette-error-404-not-found.yaml, parsed_body as JSON.
    [InlineData("""{"error":{"message":"This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.","type":"invalid_request_error"},"request_id":"req_011Ca7jT9AHpgXgdv8igm4z9","type":"error"}""",
        "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.")]
    [InlineData("""{"error":{"message":"model: claude-sonet-4-5","type":"not_found_error"},"request_id":"req_011CdufXo8Y2LVfY2veyuQWG","type":"error"}""",
        "model: claude-sonet-4-5")]
    [InlineData("<html>502 Bad Gateway</html>", null)]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overl""", null)]
    public void ErrorBodies_YieldTheirMessage(string body, string? message) =>
        Assert.Equal(message, Translator.ReadErrorMessage(Encoding.UTF8.GetBytes(body)));
}
