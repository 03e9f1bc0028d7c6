using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat.Gemini;
using Gateway.Fast.Tests.Accounting;
using OpenAI.Chat;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Gemini;

/// <summary>Recorded Gemini answers (fixtures/google) translated into OpenAI's <c>chat.completion</c>.</summary>
public sealed class GeminiResponseTranslationTests
{
    private const string Model = "google-ai-studio/gemini-3-pro-preview";
    private readonly GeminiTranslator _translator = new();

    [Fact]
    public void TextAnswer_CountsThinkingTokensAsCompletion()
    {
        string output = Complete(_translator, AccountingFixtures.Raw("google/google-text.json"), Model);

        AssertJson("""
            {"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"google-ai-studio/gemini-3-pro-preview",
             "choices":[{"index":0,"message":{"role":"assistant","content":"There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y."},
               "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":272,"total_tokens":281,"prompt_tokens_details":{"cached_tokens":0}}}
            """, output);
    }

    [Fact]
    public void FunctionCall_BecomesToolCallCarryingItsThoughtSignature()
    {
        string output = Complete(_translator, AccountingFixtures.Raw("google/google-tool-call.json"), Model);

        var message = JsonNode.Parse(output)!["choices"]![0]!;
        Assert.Equal("tool_calls", (string?)message["finish_reason"]);
        Assert.Null(message["message"]!["content"]);
        var call = message["message"]!["tool_calls"]![0]!;
        Assert.Equal("weather", (string?)call["function"]!["name"]);
        Assert.Equal("""{"location":"San Francisco"}""", (string?)call["function"]!["arguments"]);
        Assert.Equal("EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5",
            GeminiToolCallIds.Signature((string)call["id"]!));
        Assert.StartsWith("call_test_0", (string?)call["id"]);
        Assert.Equal(937, (int)JsonNode.Parse(output)!["usage"]!["total_tokens"]!);
    }

    [Fact]
    public void CachedContentTokens_AreReportedAsCachedPromptTokens()
    {
        // usageMetadata and candidate of fixtures/google/cassette-cached-content-tokens.yaml (its parsed_body, as JSON).
        const string native = """
            {"candidates":[{"content":{"parts":[{"text":"This video demonstrates an AI assistant."}],"role":"model"},"finishReason":"STOP","index":0}],
             "modelVersion":"gemini-2.5-flash","responseId":"JiyGasHJHe-wjMcP4aqWmQg",
             "usageMetadata":{"cacheTokensDetails":[{"modality":"AUDIO","tokenCount":1881}],"cachedContentTokenCount":17379,
               "candidatesTokenCount":68,"promptTokenCount":17713,"promptTokensDetails":[{"modality":"TEXT","tokenCount":16}],
               "serviceTier":"standard","thoughtsTokenCount":821,"totalTokenCount":18602}}
            """;

        var usage = JsonNode.Parse(Complete(_translator, Encoding.UTF8.GetBytes(native), Model))!["usage"]!;

        Assert.Equal(17713, (int)usage["prompt_tokens"]!);
        Assert.Equal(889, (int)usage["completion_tokens"]!);
        Assert.Equal(18602, (int)usage["total_tokens"]!);
        Assert.Equal(17379, (int)usage["prompt_tokens_details"]!["cached_tokens"]!);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("OTHER", "stop")]
    public void FinishReasons_MapToOpenAIs(string gemini, string openAi)
    {
        string native = $$"""{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":"{{gemini}}"}]}""";

        Assert.Equal(openAi, (string?)JsonNode.Parse(Complete(_translator, Encoding.UTF8.GetBytes(native), Model))!["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public void ThoughtParts_BecomeReasoningContent()
    {
        const string native = """
            {"candidates":[{"content":{"parts":[{"text":"Counting r\u0027s\u2026","thought":true},{"text":"Three."}],"role":"model"},"finishReason":"STOP"}]}
            """;

        var message = JsonNode.Parse(Complete(_translator, Encoding.UTF8.GetBytes(native), Model))!["choices"]![0]!["message"]!;

        Assert.Equal("Counting r's…", (string?)message["reasoning_content"]);
        Assert.Equal("Three.", (string?)message["content"]);
    }

    [Fact]
    public void BlockedPrompt_FinishesAsContentFilter()
    {
        const string native = """{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5}}""";

        var choice = JsonNode.Parse(Complete(_translator, Encoding.UTF8.GetBytes(native), Model))!["choices"]![0]!;

        Assert.Equal("content_filter", (string?)choice["finish_reason"]);
        Assert.Equal("", (string?)choice["message"]!["content"]);
    }

    [Fact]
    public void ErrorBodies_YieldTheirMessage()
    {
        Assert.Equal("You exceeded your current quota, please check your plan.",
            _translator.ReadErrorMessage(AccountingFixtures.Raw("google/google-429-retry-info.json")));
        // fixtures/google/cassette-error-404-not-found.yaml's parsed_body, as JSON; the array form is what JSON-array streams send.
        Assert.Equal("models/gemini-3.6-flahs is not found",
            _translator.ReadErrorMessage("""[{"error":{"code":404,"message":"models/gemini-3.6-flahs is not found","status":"NOT_FOUND"}}]"""u8));
        Assert.Null(_translator.ReadErrorMessage("<html>502 Bad Gateway</html>"u8));
    }

    [Fact]
    public async Task OpenAISdk_ParsesTheTranslatedToolCall()
    {
        string output = Complete(_translator, AccountingFixtures.Raw("google/google-tool-call.json"), Model);

        ChatCompletion completion = await Sdk(output, "application/json").CompleteChatAsync([new UserChatMessage("weather?")]);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("weather", completion.ToolCalls[0].FunctionName);
        Assert.Equal("San Francisco", completion.ToolCalls[0].FunctionArguments.ToObjectFromJson<Dictionary<string, string>>()!["location"]);
        Assert.Equal(29, completion.Usage.InputTokenCount);
        Assert.Equal(908, completion.Usage.OutputTokenCount);
    }
}
