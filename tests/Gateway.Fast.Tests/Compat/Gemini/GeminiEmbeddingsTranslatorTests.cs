using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Compat.Gemini;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Gemini;

/// <summary>OpenAI <c>/embeddings</c> ↔ Gemini <c>batchEmbedContents</c>.</summary>
public sealed class GeminiEmbeddingsTranslatorTests
{
    private readonly GeminiEmbeddingsTranslator _translator = new();

    [Fact]
    public void Inputs_BecomeOneRequestEach()
    {
        using var doc = JsonDocument.Parse("""{"model":"text-embedding-004","input":["a","b"],"dimensions":256}""");
        var body = new ArrayBufferWriter<byte>();

        Assert.Null(_translator.WriteRequest(doc.RootElement, "text-embedding-004", body, out string path));

        Assert.Equal("v1beta/models/text-embedding-004:batchEmbedContents", path);
        AssertJson("""
            {"requests":[
              {"model":"models/text-embedding-004","content":{"parts":[{"text":"a"}]},"outputDimensionality":256},
              {"model":"models/text-embedding-004","content":{"parts":[{"text":"b"}]},"outputDimensionality":256}]}
            """, Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void TokenArrays_AreRefused()
    {
        using var doc = JsonDocument.Parse("""{"input":[[1,2,3]]}""");

        Assert.Contains("token arrays", _translator.WriteRequest(doc.RootElement, "text-embedding-004", new ArrayBufferWriter<byte>(), out _));
    }

    [Fact]
    public void Response_BecomesOpenAIsListWithNumbersVerbatim()
    {
        var output = new ArrayBufferWriter<byte>();

        _translator.WriteResponse("""{"embeddings":[{"values":[0.013168523,-0.008711934]},{"values":[1e-3,2]}]}"""u8, "google-ai-studio/text-embedding-004", false, output);

        AssertJson("""
            {"object":"list","data":[
              {"object":"embedding","index":0,"embedding":[0.013168523,-0.008711934]},
              {"object":"embedding","index":1,"embedding":[1e-3,2]}],
             "model":"google-ai-studio/text-embedding-004","usage":{"prompt_tokens":0,"total_tokens":0}}
            """, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Base64Response_IsLittleEndianFloat32()
    {
        var output = new ArrayBufferWriter<byte>();

        _translator.WriteResponse("""{"embeddings":[{"values":[0.5,-2.25,3]}]}"""u8, "m", true, output);

        string base64 = (string)JsonNode.Parse(output.WrittenSpan)!["data"]![0]!["embedding"]!;
        Assert.Equal([0.5f, -2.25f, 3f], MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray());
    }
}
