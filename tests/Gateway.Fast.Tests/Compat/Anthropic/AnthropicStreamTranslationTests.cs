using System.Text;
using System.Text.Json;
using Gateway.Fast.Compat;
using OpenAI.Chat;
using static Gateway.Fast.Tests.Compat.Anthropic.AnthropicCompatHarness;

namespace Gateway.Fast.Tests.Compat.Anthropic;

/// <summary>
/// Recorded Messages streams through the stream translator, whole, a byte at a time and at random splits (the three must
/// agree byte for byte), then read back by the official OpenAI SDK.
/// </summary>
public sealed class AnthropicStreamTranslationTests
{
    [Fact]
    public async Task TextStream_BecomesContentChunks_FinishAndUsage()
    {
        string sse = StreamEverySplit(ChunksAsSse("anthropic-text.chunks.txt"));

        List<string> events = DataEvents(sse);
        Assert.Contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}", events[0]);
        Assert.Equal("[DONE]", events[^1]);
        StreamResult result = await ReadWithSdk(sse);
        Assert.Equal("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?", result.Content.ToString());
        Assert.Equal(ChatFinishReason.Stop, result.FinishReason);
        Assert.Equal(12, result.Usage!.InputTokenCount);
        Assert.Equal(30, result.Usage.OutputTokenCount);
        Assert.Empty(result.ToolCalls);
    }

    [Fact]
    public async Task ToolUseStream_StreamsArgumentFragments_AsToolCallDeltas()
    {
        // The Python SDK's recording: event: lines, and no blank line after the last event.
        byte[] native = Fixture("stream-tool-use.sse");
        Assert.NotEqual((byte)'\n', native[^1]);
        string sse = StreamEverySplit(native);

        StreamResult result = await ReadWithSdk(sse);
        Assert.Equal("I'll check the current weather in Paris for you.", result.Content.ToString());
        ToolCallResult call = Assert.Single(result.ToolCalls);
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", call.Id);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("{\"location\": \"Paris\"}", call.Arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, result.FinishReason);
        Assert.Equal(377, result.Usage!.InputTokenCount); // message_start's; the delta carries only output_tokens
        Assert.Equal(65, result.Usage.OutputTokenCount);
        Assert.Contains(DataEvents(sse), static e => e.Contains("\"arguments\":\"{\\\"locati\""));
    }

    [Fact]
    public async Task ToolWithoutArguments_GetsAnEmptyObject()
    {
        string sse = StreamEverySplit(ChunksAsSse("anthropic-tool-no-args.chunks.txt"));

        StreamResult result = await ReadWithSdk(sse);
        Assert.Equal("I'll update the issue list for you.", result.Content.ToString());
        ToolCallResult call = Assert.Single(result.ToolCalls);
        Assert.Equal("updateIssueList", call.Name);
        Assert.Equal("{}", call.Arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, result.FinishReason);
    }

    [Fact]
    public async Task PromptCacheStream_TakesFinalUsageFromMessageDelta_AndSkipsServerToolBlocks()
    {
        string sse = StreamEverySplit(ChunksAsSse("anthropic-code-execution-20260120-prompt-cache.1.chunks.txt"));

        StreamResult result = await ReadWithSdk(sse);
        Assert.Equal("The sum of the squares of the numbers 1 through 12 is **650**.", result.Content.ToString());
        Assert.Empty(result.ToolCalls); // bash_code_execution ran on Anthropic's side
        Assert.Equal(ChatFinishReason.Stop, result.FinishReason);
        Assert.Equal(6 + 6289 + 3337, result.Usage!.InputTokenCount);
        Assert.Equal(6289, result.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(198, result.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task PaddedStream_WithWhitespaceInsideTheJson_IsRead()
    {
        string sse = StreamEverySplit(CassetteStreamBody("cassette-stream-text-padded.yaml"));

        StreamResult result = await ReadWithSdk(sse);
        Assert.Equal("2", result.Content.ToString());
        Assert.Equal(20, result.Usage!.InputTokenCount);
        Assert.Equal(5, result.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task ThinkingStream_BecomesReasoningContent_ThenText()
    {
        string sse = StreamEverySplit(CassetteStreamBody("cassette-stream-thinking.yaml"));

        var reasoning = new StringBuilder();
        int firstContent = -1, lastReasoning = -1, index = 0;
        foreach (string data in DataEvents(sse))
        {
            if (data == "[DONE]")
            {
                break;
            }

            using var doc = JsonDocument.Parse(data);
            if (doc.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() == 1)
            {
                JsonElement delta = choices[0].GetProperty("delta");
                if (delta.TryGetProperty("reasoning_content", out JsonElement r))
                {
                    reasoning.Append(r.GetString());
                    lastReasoning = index;
                }
                else if (firstContent < 0 && delta.TryGetProperty("content", out JsonElement c) && c.GetString()!.Length > 0)
                {
                    firstContent = index;
                }
            }

            index++;
        }

        Assert.StartsWith("This is a straightforward question about pedestrian safety.", reasoning.ToString());
        Assert.True(lastReasoning < firstContent, "thinking comes before the answer");
        Assert.DoesNotContain("signature", sse);
        StreamResult result = await ReadWithSdk(sse);
        Assert.EndsWith("prioritize safety over speed when crossing streets.", result.Content.ToString());
        Assert.Equal(43, result.Usage!.InputTokenCount);
        Assert.Equal(282, result.Usage.OutputTokenCount);
    }

    [Fact]
    public void WithoutIncludeUsage_NoUsageChunkIsWritten()
    {
        string sse = Stream(ChunksAsSse("anthropic-text.chunks.txt"), info: Info with { IncludeUsage = false });

        Assert.DoesNotContain("\"usage\"", sse);
        Assert.EndsWith("data: [DONE]\n\n", sse);
    }

    [Fact]
    public void ErrorEventMidStream_EndsWithAnOpenAIErrorEvent()
    {
        // No mid-stream error was recorded (fixtures README, known gaps): this is the documented event shape.
        byte[] native = Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"is\"}}\n\n");

        string sse = StreamEverySplit(native);

        List<string> events = DataEvents(sse);
        Assert.Equal(3, events.Count);
        Assert.Contains("\"content\":\"Par\"", events[1]);
        using var doc = JsonDocument.Parse(events[2]);
        Assert.Equal("Overloaded", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("overloaded_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task JsonSchemaToolStream_IsStreamedAsContent()
    {
        byte[] native = Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"gateway_json_response\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"temp\\\": \"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"21}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        StreamResult result = await ReadWithSdk(StreamEverySplit(native));

        Assert.Equal("{\"temp\": 21}", result.Content.ToString());
        Assert.Empty(result.ToolCalls);
        Assert.Equal(ChatFinishReason.Stop, result.FinishReason);
    }

    [Fact]
    public void StreamCutShort_StillFinishesAndEndsWithDone()
    {
        byte[] whole = ChunksAsSse("anthropic-text.chunks.txt");
        string text = Encoding.UTF8.GetString(whole);
        byte[] cut = Encoding.UTF8.GetBytes(text[..text.IndexOf("event: content_block_stop", StringComparison.Ordinal)]);

        List<string> events = DataEvents(Stream(cut));

        Assert.Contains("\"finish_reason\":\"stop\"", events[^3]);
        Assert.Contains("\"usage\"", events[^2]);
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public void EveryChunk_CarriesTheSameIdModelAndCreated()
    {
        foreach (string data in DataEvents(Stream(ChunksAsSse("anthropic-tool-no-args.chunks.txt"))))
        {
            if (data == "[DONE]")
            {
                continue;
            }

            using var doc = JsonDocument.Parse(data);
            Assert.Equal("chatcmpl-test", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", doc.RootElement.GetProperty("object").GetString());
            Assert.Equal("anthropic/claude-sonnet-4-5", doc.RootElement.GetProperty("model").GetString());
            Assert.Equal(1_700_000_000, doc.RootElement.GetProperty("created").GetInt64());
        }
    }

    [Fact]
    public void TextChunk_AfterWarmUp_AllocatesNothing()
    {
        byte[] delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"caf\\u00e9 \\\"ok\\\"\"}}\n\n"u8.ToArray();
        using IChatStreamTranslator stream = Translator.CreateStream(Info);
        var output = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        string prelude = Encoding.UTF8.GetString(ChunksAsSse("anthropic-text.chunks.txt"));
        stream.Write(Encoding.UTF8.GetBytes(prelude[..prelude.IndexOf("event: content_block_delta", StringComparison.Ordinal)]), output);
        for (int i = 0; i < 16; i++)
        {
            stream.Write(delta, output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 256; i++)
        {
            stream.Write(delta, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        List<string> events = DataEvents(Encoding.UTF8.GetString(output.WrittenSpan));
        using var last = JsonDocument.Parse(events[^1]);
        Assert.Equal("café \"ok\"", last.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
    }
}
