using Gateway.Fast.Accounting;
using Gateway.Fast.Tests.Simulator;

namespace Gateway.Fast.Tests.Accounting;

/// <summary>Every provider's recorded bodies, fed whole, one byte at a time and at random splits, give the exact counts they carry.</summary>
public sealed class UsageReaderFixtureTests
{
    public static readonly TheoryData<Split> Splits = UsageFeed.AllSplits;

    private static void AssertUsage(Usage usage, int input, int output, int? cached, string? model = null)
    {
        Assert.True(usage.Found, usage.ToString());
        Assert.False(usage.Estimated);
        Assert.Equal(input, usage.InputTokens);
        Assert.Equal(output, usage.OutputTokens);
        Assert.Equal(cached, usage.CachedInputTokens);
        if (model is not null)
        {
            Assert.Equal(model, usage.Model);
        }
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void OpenAISse_ReadsTheFinalUsageChunk(Split split)
    {
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/chat-stream-text.sse"), split), 14, 30, null,
            "gpt-4o-2024-08-06");
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/chat-stream-n3-choices.sse"), split), 79, 42, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/chat-stream-parallel-tool-calls.sse"), split),
            149, 60, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/chat-stream-refusal.sse"), split), 79, 11, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/chat-stream-tool-call.sse"), split), 44, 16, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/chat-stream-finish-length.sse"), split), 79, 1, null);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void OpenAIJson_ReadsUsageWithCachedTokens(Split split) =>
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("openai/openai-text.json"), split), 16, 363, 0,
            "gpt-4.1-nano-2025-04-14");

    [Theory]
    [MemberData(nameof(Splits))]
    public void OpenAICompatibleBodies_ReadUsage(Split split)
    {
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("groq/groq-text.json"), split), 45, 607, null,
            "llama-3.3-70b-versatile");
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Sse("groq/groq-tool-call.chunks.txt", done: true), split),
            210, 15, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("mistral/mistral-text.json"), split), 13, 434, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Sse("mistral/mistral-text.chunks.txt", done: true), split),
            13, 8, null, "mistral-small-latest");
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Sse("mistral/mistral-tool-call.chunks.txt"), split), 124, 22, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("deepseek/deepseek-text.json"), split), 13, 300, 0,
            "deepseek-chat");
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("deepseek/deepseek-tool-call.json"), split), 339, 92, 320);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Sse("deepseek/deepseek-tool-call.chunks.txt", done: true), split),
            339, 83, 320, "deepseek-reasoner");
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void XaiReasoningTokens_CountAsOutput(Split split)
    {
        // xAI's completion_tokens leaves reasoning out (12 + 1 + 228 = 241 total); output is total − prompt.
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("xai/xai-text.json"), split), 12, 229, 2, "grok-3-mini");
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Sse("xai/xai-text.chunks.txt", done: true), split), 12, 291, 11);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Raw("xai/xai-tool-call.json"), split), 291, 215, 244);
        AssertUsage(UsageFeed.Read(UsageWireFormat.OpenAI, AccountingFixtures.Sse("xai/xai-tool-call.chunks.txt", done: true), split),
            291, 222, 290);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void AnthropicSse_TakesInputFromMessageStartAndOutputFromMessageDelta(Split split)
    {
        AssertUsage(UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Raw("anthropic/stream-tool-use.sse"), split), 377, 65, 0,
            "claude-sonnet-4-20250514");
        AssertUsage(UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Sse("anthropic/anthropic-text.chunks.txt", eventNames: true),
            split), 12, 30, 0);
        AssertUsage(UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Sse("anthropic/anthropic-tool-no-args.chunks.txt",
            eventNames: true), split), 565, 48, 0);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void AnthropicPromptCache_AddsCacheReadsAndWritesToInput(Split split) =>
        AssertUsage(UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Sse(
            "anthropic/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt", eventNames: true), split), 6 + 3337 + 6289, 198, 6289);

    [Theory]
    [MemberData(nameof(Splits))]
    public void AnthropicJson_ReadsUsage(Split split)
    {
        AssertUsage(UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Raw("anthropic/anthropic-text.json"), split), 12, 29, 0,
            "claude-sonnet-4-5-20250929");
        AssertUsage(UsageFeed.Read(UsageWireFormat.Anthropic, AccountingFixtures.Raw("anthropic/anthropic-tool-no-args.json"), split),
            602, 93, 0, "claude-3-opus-20240229");
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Gemini_CountsThoughtsAsOutput_InJsonSseAndArrayForms(Split split)
    {
        AssertUsage(UsageFeed.Read(UsageWireFormat.Gemini, AccountingFixtures.Raw("google/google-text.json"), split), 9, 28 + 244, null,
            "gemini-3-pro-preview");
        AssertUsage(UsageFeed.Read(UsageWireFormat.Gemini, AccountingFixtures.Sse("google/google-text.chunks.txt", newline: "\r\n"), split),
            9, 23 + 185, null, "gemini-3-pro-preview");
        AssertUsage(UsageFeed.Read(UsageWireFormat.Gemini, AccountingFixtures.JsonArray("google/google-tool-call.chunks.txt"), split),
            29, 15 + 45, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.Gemini, AccountingFixtures.JsonArray("google/google-stream-tool-call-arguments.chunks.txt"),
            split), 26, 23 + 132, null, "gemini-3.1-pro-preview");
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void GeminiRecordedSse_LastChunkWins(Split split) =>
        // Earlier chunks say promptTokenCount 15 without candidates; the last says 13 and 8.
        AssertUsage(UsageFeed.Read(UsageWireFormat.Gemini, AccountingFixtures.CassetteStringBody("google/cassette-stream-text.yaml"), split),
            13, 8, null, "gemini-2.0-flash-exp");

    [Theory]
    [MemberData(nameof(Splits))]
    public void BedrockEventStream_ReadsTheMetadataEvent(Split split)
    {
        AssertBedrock("bedrock/cassette-converse-stream-text.yaml", split, 13, 82);
        AssertBedrock("bedrock/cassette-converse-stream-reasoning.yaml", split, 36, 73);
        AssertBedrock("bedrock/cassette-converse-stream-tool-use.yaml", split, 471, 91);
    }

    private static void AssertBedrock(string cassette, Split split, int input, int output)
    {
        byte[] body = FixtureFiles.ReadCassetteBinaryBody(cassette);
        using var reader = new UsageReader(UsageWireFormat.BedrockEventStream);
        UsageFeed.Feed(reader, body, split);
        Assert.Equal(1, reader.MetadataEvents);
        AssertUsage(reader.Complete(), input, output, null);
        Assert.True(reader.EstimateOutputTokens() > 0, "contentBlockDelta text is captured for estimates");
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void BedrockConverseJson_AddsCacheTokens(Split split) =>
        AssertUsage(UsageFeed.Read(UsageWireFormat.BedrockConverse, AccountingFixtures.Raw("bedrock/amazon-bedrock-text.json"), split),
            22, 57, 0);

    [Theory]
    [MemberData(nameof(Splits))]
    public void Cohere_PrefersBilledUnits(Split split)
    {
        AssertUsage(UsageFeed.Read(UsageWireFormat.Cohere, AccountingFixtures.Raw("cohere/cohere-text.json"), split), 12, 7, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.Cohere, AccountingFixtures.Sse("cohere/cohere-text.chunks.txt", eventNames: true), split),
            12, 7, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.Cohere, AccountingFixtures.Sse("cohere/cohere-tool-call.chunks.txt", eventNames: true),
            split), 119, 44, null);
        AssertUsage(UsageFeed.Read(UsageWireFormat.Cohere, AccountingFixtures.Raw("cohere/cohere-tool-call.json"), split), 119, 52, null);
    }
}
