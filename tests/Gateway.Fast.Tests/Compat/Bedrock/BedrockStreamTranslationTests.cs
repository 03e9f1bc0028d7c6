using System.Text.Json;
using Gateway.Fast.Compat;
using Gateway.Fast.Tests.Simulator;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>Recorded ConverseStream bodies (AWS event-stream) into OpenAI chunks, whole, one byte at a time and at random splits.</summary>
public sealed class BedrockStreamTranslationTests
{
    private static readonly CompatResponseInfo WithUsage = BedrockTestData.Info with { IncludeUsage = true };

    public static TheoryData<string, int> RecordedStreams() => new()
    {
        { "bedrock/cassette-converse-stream-text.yaml", 0 },
        { "bedrock/cassette-converse-stream-reasoning.yaml", 0 },
        { "bedrock/cassette-converse-stream-tool-use.yaml", 0 },
        { "bedrock/cassette-converse-stream-tool-use.yaml", 1 },
    };

    [Theory]
    [MemberData(nameof(RecordedStreams))]
    public void AnySplit_GivesTheSameOutputAsTheWholeBody(string cassette, int body)
    {
        byte[] wire = BedrockTestData.CassetteBinaryBodies(cassette)[body];
        string whole = BedrockTestData.RunWhole(wire, WithUsage);

        Assert.Equal(whole, BedrockTestData.RunStream(wire, () => 1, WithUsage));
        var random = new Random(20_251_124);
        for (int round = 0; round < 20; round++)
        {
            Assert.Equal(whole, BedrockTestData.RunStream(wire, () => random.Next(1, 200), WithUsage));
        }
    }

    [Fact]
    public void TextStream_StreamsEachDeltaThenFinishUsageAndDone()
    {
        byte[] wire = BedrockTestData.CassetteBinaryBodies("bedrock/cassette-converse-stream-text.yaml")[0];
        var events = BedrockTestData.DataEvents(BedrockTestData.RunWhole(wire, WithUsage));

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(static e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, static c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        string text = string.Concat(chunks.Where(static c => c.GetProperty("choices").GetArrayLength() > 0
                && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out _))
            .Select(static c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.StartsWith("The capital of France is Paris. Paris is not only the capital city", text, StringComparison.Ordinal);
        Assert.EndsWith("\"The City of Love.\"", text, StringComparison.Ordinal);
        // role + the 29 recorded deltas + finish + usage
        Assert.Equal(32, chunks.Count);
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(13, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(82, usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public void ToolUseStream_OpensTheCallAndStreamsItsArguments()
    {
        byte[] wire = BedrockTestData.CassetteBinaryBodies("bedrock/cassette-converse-stream-tool-use.yaml")[0];
        var chunks = BedrockTestData.DataEvents(BedrockTestData.RunWhole(wire)).SkipLast(1)
            .Select(static e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0]).ToList();

        var calls = chunks.Where(static c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(static c => c.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(0, calls[0].GetProperty("index").GetInt32());
        Assert.Equal("tooluse_lAG_zP8QRHmSYOwZzzaCqA", calls[0].GetProperty("id").GetString());
        Assert.Equal("get_temperature", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", calls[1].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", chunks[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void ReasoningStream_StreamsReasoningContentThenText()
    {
        byte[] wire = BedrockTestData.CassetteBinaryBodies("bedrock/cassette-converse-stream-reasoning.yaml")[0];
        var deltas = BedrockTestData.DataEvents(BedrockTestData.RunWhole(wire)).SkipLast(1)
            .Select(static e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("delta")).ToList();

        string reasoning = string.Concat(deltas.Where(static d => d.TryGetProperty("reasoning_content", out _)).Select(static d => d.GetProperty("reasoning_content").GetString()));
        string content = string.Concat(deltas.Where(static d => d.TryGetProperty("content", out _)).Select(static d => d.GetProperty("content").GetString()));
        Assert.StartsWith("The user has greeted me with a simple \"Hello\".", reasoning, StringComparison.Ordinal);
        Assert.Equal("Hello! It's nice to meet you. How can I help you today?", content);
    }

    [Fact]
    public void ChunkEvents_FramedAgain_TranslateLikeTheRecordedText()
    {
        // amazon-bedrock-text.chunks.txt holds the events with their framing removed: frame them again.
        var wire = new List<byte>();
        foreach (string line in FixtureFiles.ReadLines("bedrock/amazon-bedrock-text.chunks.txt"))
        {
            var property = JsonDocument.Parse(line).RootElement.EnumerateObject().Single();
            wire.AddRange(BedrockTestData.Event(property.Name, property.Value.GetRawText()));
        }

        var deltas = BedrockTestData.DataEvents(BedrockTestData.RunWhole([.. wire], WithUsage)).SkipLast(1)
            .Select(static e => JsonDocument.Parse(e).RootElement).ToList();
        string content = string.Concat(deltas.Where(static d => d.GetProperty("choices").GetArrayLength() > 0
                && d.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out _))
            .Select(static d => d.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal("Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r's in \"strawberry.\"", content);
        Assert.Equal(55, deltas[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public void ExceptionFrame_BecomesAnOpenAIErrorEventThenDone()
    {
        byte[] start = BedrockTestData.Event("messageStart", """{"role":"assistant"}""");
        byte[] delta = BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"}}""");
        byte[] exception = BedrockTestData.Frame("""{"message":"Too many requests, please wait before trying again."}""",
            (":exception-type", "throttlingException"), (":content-type", "application/json"), (":message-type", "exception"));

        var events = BedrockTestData.DataEvents(BedrockTestData.RunWhole([.. start, .. delta, .. exception], WithUsage));

        Assert.Equal(4, events.Count); // role, "Hel", error, [DONE]: no finish or usage chunk after an error
        var error = JsonDocument.Parse(events[2]).RootElement.GetProperty("error");
        Assert.Equal("Too many requests, please wait before trying again.", error.GetProperty("message").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("throttlingException", error.GetProperty("code").GetString());
        Assert.Equal("[DONE]", events[3]);
    }

    [Fact]
    public void CorruptFrame_EndsTheStreamWithAnErrorRatherThanGarbage()
    {
        byte[] delta = BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""");
        delta[^6] ^= 0x20; // a payload byte flips; the message CRC no longer matches

        var events = BedrockTestData.DataEvents(BedrockTestData.RunWhole(delta));

        Assert.Equal(2, events.Count);
        Assert.Contains("checksum", JsonDocument.Parse(events[0]).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("[DONE]", events[1]);
    }

    [Fact]
    public void StreamCutInsideAFrame_EndsWithAnError()
    {
        byte[] delta = BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""");

        var events = BedrockTestData.DataEvents(BedrockTestData.RunWhole(delta[..^3]));

        Assert.Contains("ended inside a frame", events[0], StringComparison.Ordinal);
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public void ForcedJsonTool_StreamsAsContentAndStop()
    {
        byte[] wire =
        [
            .. BedrockTestData.Event("messageStart", """{"role":"assistant"}"""),
            .. BedrockTestData.Event("contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"name":"gateway_json_response","toolUseId":"t1"}}}"""),
            .. BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"name\":"}}}"""),
            .. BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"Paris\"}"}}}"""),
            .. BedrockTestData.Event("messageStop", """{"stopReason":"tool_use"}"""),
        ];

        var choices = BedrockTestData.DataEvents(BedrockTestData.RunWhole(wire)).SkipLast(1)
            .Select(static e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0]).ToList();

        Assert.DoesNotContain(choices, static c => c.GetProperty("delta").TryGetProperty("tool_calls", out _));
        Assert.Equal("""{"name":"Paris"}""", string.Concat(choices.Where(static c => c.GetProperty("delta").TryGetProperty("content", out var t) && t.GetString() != "")
            .Select(static c => c.GetProperty("delta").GetProperty("content").GetString())));
        Assert.Equal("stop", choices[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void EscapedText_IsUnescapedOnceAndEscapedAgainByTheChunkWriter()
    {
        byte[] wire = BedrockTestData.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"a\"b\\c\n\u00e9"}}""");

        var events = BedrockTestData.DataEvents(BedrockTestData.RunWhole(wire));

        Assert.Equal("a\"b\\c\né", JsonDocument.Parse(events[1]).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
    }
}
