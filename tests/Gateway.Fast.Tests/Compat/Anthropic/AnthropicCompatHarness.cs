using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Anthropic;
using Gateway.Fast.Tests.Simulator;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat.Anthropic;

/// <summary>Drives <see cref="AnthropicTranslator"/> the way the compat stage does, and reads what it writes back.</summary>
internal static class AnthropicCompatHarness
{
    public static readonly CompatResponseInfo Info = new("chatcmpl-test", "anthropic/claude-sonnet-4-5", 1_700_000_000, IncludeUsage: true);

    public static readonly AnthropicTranslator Translator = new();

    /// <summary>Translates an OpenAI request; returns the native body, or throws with the 400 message.</summary>
    public static string Request(string openAIJson, bool stream = false)
    {
        string? error = TryRequest(openAIJson, out string body, out string path, stream);
        Assert.Null(error);
        Assert.Equal("v1/messages", path);
        return body;
    }

    public static string? TryRequest(string openAIJson, out string body, out string path, bool stream = false)
    {
        using var doc = JsonDocument.Parse(openAIJson);
        var output = new ArrayBufferWriter<byte>();
        string model = doc.RootElement.TryGetProperty("model", out var m) ? m.GetString()!.Split('/', 2)[^1] : "claude-sonnet-4-5";
        string? error = Translator.WriteRequest(new CompatChatRequest(doc.RootElement, model, stream, false), output, out path);
        body = Encoding.UTF8.GetString(output.WrittenSpan);
        return error;
    }

    public static void AssertJsonEqual(string expected, string actual)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"expected:\n{e?.ToJsonString()}\nactual:\n{a?.ToJsonString()}");
    }

    public static string Response(string nativeJson, CompatResponseInfo? info = null)
    {
        var output = new ArrayBufferWriter<byte>();
        Translator.WriteResponse(Encoding.UTF8.GetBytes(nativeJson), info ?? Info, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Feeds <paramref name="native"/> to a stream translator in pieces of the given sizes (the rest in one), then completes.</summary>
    public static string Stream(byte[] native, Func<int, int>? nextPieceSize = null, CompatResponseInfo? info = null)
    {
        using IChatStreamTranslator stream = Translator.CreateStream(info ?? Info);
        var output = new ArrayBufferWriter<byte>();
        int offset = 0;
        while (offset < native.Length)
        {
            int size = nextPieceSize is null ? native.Length : Math.Clamp(nextPieceSize(offset), 1, native.Length - offset);
            stream.Write(native.AsSpan(offset, size), output);
            offset += size;
        }

        stream.Complete(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The same stream whole, one byte at a time and at random splits (fixed seed): all three must agree.</summary>
    public static string StreamEverySplit(byte[] native, CompatResponseInfo? info = null)
    {
        string whole = Stream(native, null, info);
        Assert.Equal(whole, Stream(native, static _ => 1, info));
        var random = new Random(20240611);
        Assert.Equal(whole, Stream(native, _ => random.Next(1, 48), info));
        return whole;
    }

    /// <summary>The payloads of <c>data:</c> events in order (<c>[DONE]</c> included as the string).</summary>
    public static List<string> DataEvents(string sse)
    {
        var events = new List<string>();
        foreach (string block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block);
            events.Add(block["data: ".Length..]);
        }

        return events;
    }

    /// <summary>What the OpenAI SDK makes of a translated stream.</summary>
    public static async Task<StreamResult> ReadWithSdk(string sse)
    {
        var result = new StreamResult();
        await foreach (StreamingChatCompletionUpdate update in Client(sse, "text/event-stream").CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                result.Content.Append(part.Text);
            }

            foreach (StreamingChatToolCallUpdate call in update.ToolCallUpdates)
            {
                while (result.ToolCalls.Count <= call.Index)
                {
                    result.ToolCalls.Add(new ToolCallResult());
                }

                ToolCallResult target = result.ToolCalls[call.Index];
                target.Id ??= call.ToolCallId;
                target.Name ??= call.FunctionName;
                if (call.FunctionArgumentsUpdate is { } args && !args.ToMemory().IsEmpty)
                {
                    target.Arguments.Append(args.ToString());
                }
            }

            result.FinishReason ??= update.FinishReason;
            result.Usage ??= update.Usage;
            result.Updates++;
        }

        return result;
    }

    public static Task<ClientResult<OpenAI.Chat.ChatCompletion>> CompleteWithSdk(string json) =>
        Client(json, "application/json").CompleteChatAsync([new UserChatMessage("hi")]);

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(FixtureFiles.Root, "anthropic", name));

    /// <summary>A <c>*.chunks.txt</c> fixture framed as Anthropic sends it: <c>event: {type}</c>, <c>data: {line}</c>, blank line.</summary>
    public static byte[] ChunksAsSse(string name) => Accounting.AccountingFixtures.Sse("anthropic/" + name, eventNames: true);

    /// <summary>The <c>response.body.string: |+</c> literal block of a cassette: the exact streamed bytes.</summary>
    public static byte[] CassetteStreamBody(string name)
    {
        string[] lines = File.ReadAllLines(Path.Combine(FixtureFiles.Root, "anthropic", name));
        int start = Array.FindIndex(lines, static l => l.TrimStart() == "string: |+");
        Assert.True(start >= 0, $"{name} has no literal stream body.");
        int indent = lines[start + 1].Length - lines[start + 1].TrimStart().Length;
        var body = new StringBuilder();
        for (int i = start + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Trim().Length > 0 && line.Length - line.TrimStart().Length < indent)
            {
                break;
            }

            body.Append(line.Length >= indent ? line[indent..] : "").Append('\n');
        }

        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private static ChatClient Client(string body, string contentType) =>
        new("anthropic/claude-sonnet-4-5", new ApiKeyCredential("k"), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://compat.test/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(new FixedResponse(body, contentType))),
        });

    internal sealed class StreamResult
    {
        public StringBuilder Content { get; } = new();
        public List<ToolCallResult> ToolCalls { get; } = [];
        public ChatFinishReason? FinishReason { get; set; }
        public ChatTokenUsage? Usage { get; set; }
        public int Updates { get; set; }
    }

    internal sealed class ToolCallResult
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public StringBuilder Arguments { get; } = new();
    }

    private sealed class FixedResponse(string body, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, contentType),
            });
    }
}
