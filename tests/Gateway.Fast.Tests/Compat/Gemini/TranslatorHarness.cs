using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Fast.Tests.Compat;

/// <summary>Drives an <see cref="IChatTranslator"/> the way the compat stage does, and reads its output back.</summary>
internal static class TranslatorHarness
{
    public const long Created = 1_700_000_000;

    public static CompatResponseInfo Info(string model, bool includeUsage = false) => new("chatcmpl-test", model, Created, includeUsage);

    /// <summary>The native body for <paramref name="openAiJson"/>; fails the test when the translator refuses it.</summary>
    public static string Request(IChatTranslator translator, string openAiJson, string model, out string path, bool stream = false)
    {
        string? error = TryRequest(translator, openAiJson, model, out string body, out path, stream);
        Assert.True(error is null, $"WriteRequest refused: {error}");
        return body;
    }

    public static string? TryRequest(IChatTranslator translator, string openAiJson, string model, out string body, out string path, bool stream = false)
    {
        using var doc = JsonDocument.Parse(openAiJson);
        var output = new ArrayBufferWriter<byte>();
        string? error = translator.WriteRequest(new CompatChatRequest(doc.RootElement, model, stream, false), output, out path);
        body = Encoding.UTF8.GetString(output.WrittenSpan);
        return error;
    }

    public static string Complete(IChatTranslator translator, byte[] native, string model)
    {
        var output = new ArrayBufferWriter<byte>();
        translator.WriteResponse(native, Info(model), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Feeds <paramref name="native"/> in the pieces <paramref name="splits"/> gives (lengths), then completes.</summary>
    public static string Stream(IChatTranslator translator, byte[] native, string model, bool includeUsage, IEnumerable<int>? splits = null)
    {
        var output = new ArrayBufferWriter<byte>();
        using var stream = translator.CreateStream(Info(model, includeUsage));
        int at = 0;
        foreach (int length in splits ?? [native.Length])
        {
            int n = Math.Min(length, native.Length - at);
            stream.Write(native.AsSpan(at, n), output);
            at += n;
        }

        Assert.Equal(native.Length, at);
        stream.Complete(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Whole, one byte at a time and at seeded random splits: all three must write the same bytes.</summary>
    public static string StreamEverySplit(IChatTranslator translator, byte[] native, string model, bool includeUsage = true)
    {
        string whole = Stream(translator, native, model, includeUsage);
        Assert.Equal(whole, Stream(translator, native, model, includeUsage, Enumerable.Repeat(1, native.Length)));
        var random = new Random(20251124);
        for (int round = 0; round < 5; round++)
        {
            var splits = new List<int>();
            for (int left = native.Length; left > 0;)
            {
                int n = Math.Min(left, random.Next(1, 97));
                splits.Add(n);
                left -= n;
            }

            Assert.Equal(whole, Stream(translator, native, model, includeUsage, splits));
        }

        return whole;
    }

    /// <summary>The JSON payloads of <c>data:</c> events, and whether the stream ended with <c>[DONE]</c>.</summary>
    public static List<JsonObject> Chunks(string sse, out bool done)
    {
        var chunks = new List<JsonObject>();
        done = false;
        foreach (string evt in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", evt);
            string data = evt["data: ".Length..];
            Assert.False(done, "nothing may follow [DONE]");
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }

            chunks.Add(JsonNode.Parse(data)!.AsObject());
        }

        return chunks;
    }

    /// <summary>Concatenated <c>delta.content</c> of every chunk.</summary>
    public static string Content(List<JsonObject> chunks, string field = "content")
    {
        var sb = new StringBuilder();
        foreach (var chunk in chunks)
        {
            if (chunk["choices"]!.AsArray().Count > 0 && chunk["choices"]![0]!["delta"]![field] is JsonNode text)
            {
                sb.Append(text.GetValue<string>());
            }
        }

        return sb.ToString();
    }

    public static string? FinishReason(List<JsonObject> chunks)
    {
        string? reason = null;
        foreach (var chunk in chunks)
        {
            if (chunk["choices"]!.AsArray().Count > 0 && chunk["choices"]![0]!["finish_reason"] is JsonNode r)
            {
                Assert.Null(reason); // exactly one finish chunk
                reason = r.GetValue<string>();
            }
        }

        return reason;
    }

    public static void AssertJson(string expected, string actual)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"JSON differs.\nexpected: {e!.ToJsonString()}\nactual:   {a!.ToJsonString()}");
    }

    /// <summary>An OpenAI SDK chat client whose every call is answered by <paramref name="body"/>.</summary>
    public static ChatClient Sdk(string body, string contentType) =>
        new("m", new ApiKeyCredential("k"), new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(new Canned(body, contentType))),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    private sealed class Canned(string body, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, contentType) });
    }
}
