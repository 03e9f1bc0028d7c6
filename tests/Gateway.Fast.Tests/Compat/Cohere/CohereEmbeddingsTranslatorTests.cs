using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Compat.Cohere;
using static Gateway.Fast.Tests.Compat.TranslatorHarness;

namespace Gateway.Fast.Tests.Compat.Cohere;

/// <summary>OpenAI <c>/embeddings</c> ↔ Cohere <c>v2/embed</c>.</summary>
public sealed class CohereEmbeddingsTranslatorTests
{
    private readonly CohereEmbeddingsTranslator _translator = new();

    [Fact]
    public void Input_BecomesTextsAsSearchDocuments()
    {
        using var doc = JsonDocument.Parse("""{"model":"embed-v4.0","input":"Hello, world!","dimensions":512,"encoding_format":"float"}""");
        var body = new ArrayBufferWriter<byte>();

        Assert.Null(_translator.WriteRequest(doc.RootElement, "embed-v4.0", body, out string path));

        Assert.Equal("v2/embed", path);
        AssertJson("""
            {"model":"embed-v4.0","texts":["Hello, world!"],"input_type":"search_document","embedding_types":["float"],"output_dimension":512}
            """, Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void Response_BecomesOpenAIsListWithBilledTokens()
    {
        var output = new ArrayBufferWriter<byte>();

        _translator.WriteResponse("""
            {"id":"da6e531f","embeddings":{"float":[[0.016296387,-0.008354187],[0.5,0.25]]},"texts":["a","b"],
             "meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":4}},"response_type":"embeddings_by_type"}
            """u8, "cohere/embed-v4.0", false, output);

        AssertJson("""
            {"object":"list","data":[
              {"object":"embedding","index":0,"embedding":[0.016296387,-0.008354187]},
              {"object":"embedding","index":1,"embedding":[0.5,0.25]}],
             "model":"cohere/embed-v4.0","usage":{"prompt_tokens":4,"total_tokens":4}}
            """, Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
