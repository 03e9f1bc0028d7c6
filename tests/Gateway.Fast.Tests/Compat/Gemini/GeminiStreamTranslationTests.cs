using System.Text;
using Gateway.Fast.Compat.Gemini;
using Gateway.Fast.Tests.Accounting;
using OpenAI.Chat;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Gemini;

/// <summary>Recorded <c>alt=sse</c> streams (fixtures/google) translated into OpenAI chunks, whole and at awkward splits.</summary>
public sealed class GeminiStreamTranslationTests
{
    private const string Model = "google-ai-studio/gemini-3-pro-preview";
    private readonly GeminiTranslator _translator = new();

    [Fact]
    public void TextStream_BecomesRoleContentFinishUsageAndDone()
    {
        byte[] native = AccountingFixtures.Sse("google/google-text.chunks.txt", newline: "\r\n");

        var chunks = Chunks(StreamEverySplit(_translator, native, Model), out bool done);

        Assert.True(done);
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y", Content(chunks));
        Assert.Equal("stop", FinishReason(chunks));
        var usage = chunks[^1]["usage"]!;
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal(9, (int)usage["prompt_tokens"]!);
        Assert.Equal(23 + 185, (int)usage["completion_tokens"]!);
        Assert.All(chunks, c => Assert.Equal("chatcmpl-test", (string?)c["id"]));
    }

    [Fact]
    public void RawCassetteStream_WithCrlfSeparators_TakesTheLastUsage()
    {
        byte[] native = AccountingFixtures.CassetteStringBody("google/cassette-stream-text.yaml");

        var chunks = Chunks(StreamEverySplit(_translator, native, Model), out bool done);

        Assert.True(done);
        Assert.Equal("The capital of France is Paris.\n", Content(chunks));
        Assert.Equal("stop", FinishReason(chunks));
        Assert.Equal(13, (int)chunks[^1]["usage"]!["prompt_tokens"]!);
        Assert.Equal(8, (int)chunks[^1]["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public void WithoutIncludeUsage_NoUsageChunkIsWritten()
    {
        byte[] native = AccountingFixtures.Sse("google/google-text.chunks.txt", newline: "\r\n");

        var chunks = Chunks(Stream(_translator, native, Model, includeUsage: false), out bool done);

        Assert.True(done);
        Assert.All(chunks, c => Assert.Null(c["usage"]));
    }

    [Fact]
    public void FunctionCallStream_BecomesToolCallDeltasAndToolCallsFinish()
    {
        byte[] native = AccountingFixtures.Sse("google/google-tool-call.chunks.txt", newline: "\r\n");

        var chunks = Chunks(StreamEverySplit(_translator, native, Model), out _);

        var start = chunks.Single(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["delta"]!["tool_calls"]?[0]?["id"] is not null);
        var call = start["choices"]![0]!["delta"]!["tool_calls"]![0]!;
        Assert.Equal(0, (int)call["index"]!);
        Assert.Equal("weather", (string?)call["function"]!["name"]);
        Assert.NotNull(GeminiToolCallIds.Signature((string)call["id"]!));
        Assert.Equal("""{"location":"San Francisco"}""", ToolArguments(chunks, 0));
        Assert.Equal("tool_calls", FinishReason(chunks));
    }

    [Fact]
    public void CassetteFunctionCall_ArgumentsAreMinified()
    {
        byte[] native = AccountingFixtures.CassetteStringBody("google/cassette-stream-tool-calls.yaml");

        var chunks = Chunks(StreamEverySplit(_translator, native, "google-ai-studio/gemini-2.0-flash"), out _);

        Assert.Equal("""{"country":"France"}""", ToolArguments(chunks, 0));
        Assert.Equal("tool_calls", FinishReason(chunks));
        Assert.Equal(52, (int)chunks[^1]["usage"]!["prompt_tokens"]!);
    }

    [Fact]
    public void TruncatedStream_StillEndsWithFinishAndDone()
    {
        byte[] native = Encoding.UTF8.GetBytes("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"}}]}");

        var chunks = Chunks(Stream(_translator, native, Model, includeUsage: false), out bool done);

        Assert.True(done);
        Assert.Equal("Hel", Content(chunks));
        Assert.Equal("stop", FinishReason(chunks));
    }

    [Fact]
    public async Task OpenAISdk_ReadsTheTranslatedStream()
    {
        string sse = Stream(_translator, AccountingFixtures.Sse("google/google-text.chunks.txt", newline: "\r\n"), Model, includeUsage: true);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Sdk(sse, "text/event-stream").CompleteChatStreamingAsync([new UserChatMessage("r?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(208, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task OpenAISdk_ReadsTheTranslatedToolCallStream()
    {
        string sse = Stream(_translator, AccountingFixtures.Sse("google/google-tool-call.chunks.txt", newline: "\r\n"), Model, includeUsage: false);

        string? name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Sdk(sse, "text/event-stream").CompleteChatStreamingAsync([new UserChatMessage("weather?")]))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("weather", name);
        Assert.Equal("""{"location":"San Francisco"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    internal static string ToolArguments(List<System.Text.Json.Nodes.JsonObject> chunks, int index)
    {
        var sb = new StringBuilder();
        foreach (var chunk in chunks)
        {
            if (chunk["choices"]!.AsArray().Count > 0 && chunk["choices"]![0]!["delta"]!["tool_calls"] is { } calls
                && (int)calls[0]!["index"]! == index)
            {
                sb.Append((string?)calls[0]!["function"]!["arguments"]);
            }
        }

        return sb.ToString();
    }
}
