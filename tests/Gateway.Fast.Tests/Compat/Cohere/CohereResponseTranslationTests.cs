using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat.Cohere;
using Gateway.Fast.Tests.Accounting;
using Gateway.Fast.Tests.Compat.Gemini;
using OpenAI.Chat;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Cohere;

/// <summary>Recorded Cohere v2 answers and streams (fixtures/cohere) translated into OpenAI's shapes.</summary>
public sealed class CohereResponseTranslationTests
{
    private const string Model = "cohere/command-r-plus";
    private readonly CohereTranslator _translator = new();

    [Fact]
    public void TextAnswer_UsesTokenCountsAndCachedTokens()
    {
        string output = Complete(_translator, AccountingFixtures.Raw("cohere/cohere-text.json"), Model);

        AssertJson("""
            {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"cohere/command-r-plus",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris."},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":507,"completion_tokens":10,"total_tokens":517,"prompt_tokens_details":{"cached_tokens":448}}}
            """, output);
    }

    [Fact]
    public void ToolCallAnswer_KeepsCohereIdsAndThePlanAsContent()
    {
        string output = Complete(_translator, AccountingFixtures.Raw("cohere/cohere-tool-call.json"), Model);

        AssertJson("""
            {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"cohere/command-r-plus",
             "choices":[{"index":0,"message":{"role":"assistant",
               "content":"I will use the weather tool to find out the weather in San Francisco. I will also use the cityAttractions tool to find out what attractions are in San Francisco.",
               "tool_calls":[
                 {"id":"weather_dqgshstja6p9","type":"function","function":{"name":"weather","arguments":"{\"location\":\"San Francisco\"}"}},
                 {"id":"cityAttractions_dcxfx4myvx68","type":"function","function":{"name":"cityAttractions","arguments":"{\"city\":\"San Francisco\"}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":1549,"completion_tokens":103,"total_tokens":1652,"prompt_tokens_details":{"cached_tokens":992}}}
            """, output);
    }

    [Theory]
    [InlineData("COMPLETE", "stop")]
    [InlineData("STOP_SEQUENCE", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("TOOL_CALL", "tool_calls")]
    [InlineData("ERROR_TOXIC", "content_filter")]
    [InlineData("ERROR", "stop")]
    public void FinishReasons_MapToOpenAIs(string cohere, string openAi)
    {
        string native = $$"""{"id":"x","message":{"role":"assistant","content":[{"type":"text","text":"x"}]},"finish_reason":"{{cohere}}"}""";

        Assert.Equal(openAi, (string?)JsonNode.Parse(Complete(_translator, Encoding.UTF8.GetBytes(native), Model))!["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public void ThinkingBlocks_BecomeReasoningContent()
    {
        const string native = """
            {"id":"x","message":{"role":"assistant","content":[{"type":"thinking","thinking":"Hmm."},{"type":"text","text":"Yes."}]},"finish_reason":"COMPLETE",
             "usage":{"billed_units":{"input_tokens":3,"output_tokens":2}}}
            """;

        var output = JsonNode.Parse(Complete(_translator, Encoding.UTF8.GetBytes(native), Model))!;

        Assert.Equal("Hmm.", (string?)output["choices"]![0]!["message"]!["reasoning_content"]);
        Assert.Equal("Yes.", (string?)output["choices"]![0]!["message"]!["content"]);
        Assert.Equal(3, (int)output["usage"]!["prompt_tokens"]!); // billed_units when tokens are absent
    }

    [Fact]
    public void TextStream_BecomesContentFinishAndUsage()
    {
        byte[] native = AccountingFixtures.Sse("cohere/cohere-text.chunks.txt", eventNames: true);

        var chunks = Chunks(StreamEverySplit(_translator, native, Model), out bool done);

        Assert.True(done);
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("The capital of France is Paris.", Content(chunks));
        Assert.Equal("stop", FinishReason(chunks));
        Assert.Equal(507, (int)chunks[^1]["usage"]!["prompt_tokens"]!);
        Assert.Equal(448, (int)chunks[^1]["usage"]!["prompt_tokens_details"]!["cached_tokens"]!);
    }

    [Fact]
    public void ToolCallStream_BecomesPlanContentAndTwoToolCalls()
    {
        byte[] native = AccountingFixtures.Sse("cohere/cohere-tool-call.chunks.txt", eventNames: true);

        var chunks = Chunks(StreamEverySplit(_translator, native, Model), out _);

        Assert.StartsWith("I will use the weather tool", Content(chunks));
        Assert.Equal("""{"location": "San Francisco"}""", GeminiStreamTranslationTests.ToolArguments(chunks, 0));
        Assert.Equal("""{"city": "San Francisco"}""", GeminiStreamTranslationTests.ToolArguments(chunks, 1));
        Assert.Equal("tool_calls", FinishReason(chunks));
        Assert.Equal(1504, (int)chunks[^1]["usage"]!["prompt_tokens_details"]!["cached_tokens"]!);
    }

    [Fact]
    public void StreamWithoutEventLines_IsReadFromTheJsonType()
    {
        byte[] native = AccountingFixtures.Sse("cohere/cohere-text.chunks.txt", eventNames: false);

        Assert.Equal("The capital of France is Paris.", Content(Chunks(Stream(_translator, native, Model, includeUsage: false), out _)));
    }

    [Fact]
    public async Task OpenAISdk_ReadsTheTranslatedToolCallStream()
    {
        string sse = Stream(_translator, AccountingFixtures.Sse("cohere/cohere-tool-call.chunks.txt", eventNames: true), Model, includeUsage: true);

        var names = new List<string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in Sdk(sse, "text/event-stream").CompleteChatStreamingAsync([new UserChatMessage("weather?")]))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.FunctionName is not null)
                {
                    names.Add(call.FunctionName);
                }

                (arguments.TryGetValue(call.Index, out var sb) ? sb : arguments[call.Index] = new StringBuilder()).Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(["weather", "cityAttractions"], names);
        Assert.Equal("""{"city": "San Francisco"}""", arguments[1].ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public void ErrorBody_YieldsItsMessage()
    {
        // fixtures/cohere/cassette-error-404-embed.yaml's parsed_body, as JSON.
        Assert.Equal("model 'nonexistent' not found, make sure the correct model ID was used and that you have access to the model.",
            _translator.ReadErrorMessage("""{"id":"8bd5b608-887c-49f7-a6b3-d3bd5830c3de","message":"model 'nonexistent' not found, make sure the correct model ID was used and that you have access to the model."}"""u8));
    }
}
