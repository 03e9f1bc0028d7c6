using System.Text;
using System.Text.Json.Nodes;
using Gateway.Fast.Mcp;

namespace Gateway.Fast.Tests.Mcp;

/// <summary>How a kept body is handed to the model: JSON as JSON, text as text, anything else as base64.</summary>
public sealed class ToolJsonTests
{
    [Fact]
    public void JsonBody_IsEmbeddedAsJson()
    {
        var node = ToolJson.Body(Encoding.UTF8.GetBytes("""  {"model":"gpt-4o","n":2}"""), "application/json");

        Assert.Equal("gpt-4o", node["model"]!.GetValue<string>());
        Assert.Equal("""{"result":{"model":"gpt-4o","n":2}}""", ToolJson.Result(node));
    }

    [Fact]
    public void EventStreamBody_IsText()
    {
        const string stream = "data: {\"choices\":[]}\n\ndata: [DONE]\n\n";

        var node = ToolJson.Body(Encoding.UTF8.GetBytes(stream), "text/event-stream");

        Assert.Equal(stream, node.GetValue<string>());
    }

    [Fact]
    public void BodyThatStartsLikeJsonButIsNot_IsText()
    {
        var node = ToolJson.Body(Encoding.UTF8.GetBytes("{not json"), "application/json");

        Assert.Equal("{not json", node.GetValue<string>());
    }

    [Fact]
    public void BinaryBody_IsBase64WithItsContentType()
    {
        byte[] audio = [0xFF, 0xFB, 0x90, 0x00, 0xC3];

        var node = Assert.IsType<JsonObject>(ToolJson.Body(audio, "audio/mpeg"));

        Assert.Equal("audio/mpeg", node["content_type"]!.GetValue<string>());
        Assert.Equal(audio, Convert.FromBase64String(node["base64"]!.GetValue<string>()));
    }
}
