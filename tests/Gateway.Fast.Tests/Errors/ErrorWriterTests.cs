using System.Text.Json;
using Gateway.Fast.Errors;

namespace Gateway.Fast.Tests.Errors;

public sealed class ErrorWriterTests
{
    public static TheoryData<GatewayError, ErrorShape> EveryErrorInEveryShape()
    {
        var data = new TheoryData<GatewayError, ErrorShape>();
        foreach (var e in Enum.GetValues<GatewayError>())
        {
            if (e == GatewayError.None)
            {
                continue;
            }

            foreach (var s in Enum.GetValues<ErrorShape>())
            {
                data.Add(e, s);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryErrorInEveryShape))]
    public void EveryError_HasAStatusAndABodyInEveryShape(GatewayError error, ErrorShape shape)
    {
        var d = ErrorDescription.For(error);
        Assert.InRange(d.Status, 400, 599);
        Assert.NotEqual(2099, d.Code); // 2099 is the fallback for an unmapped member
        using var doc = JsonDocument.Parse(ErrorWriter.BodyOf(error, shape));
        var root = doc.RootElement;
        switch (shape)
        {
            case ErrorShape.OpenAI:
                Assert.Equal(d.Message, root.GetProperty("error").GetProperty("message").GetString());
                Assert.Equal(d.Code, root.GetProperty("error").GetProperty("code").GetInt32());
                Assert.False(string.IsNullOrEmpty(root.GetProperty("error").GetProperty("type").GetString()));
                break;
            case ErrorShape.Anthropic:
                Assert.Equal("error", root.GetProperty("type").GetString());
                Assert.Equal(d.Message, root.GetProperty("error").GetProperty("message").GetString());
                break;
            default:
                Assert.False(root.GetProperty("success").GetBoolean());
                Assert.Equal(d.Code, root.GetProperty("error")[0].GetProperty("code").GetInt32());
                Assert.Equal(d.Status, root.GetProperty("httpCode").GetInt32());
                Assert.Equal(d.Code, root.GetProperty("internalCode").GetInt32());
                Assert.Equal("AiGatewayError", root.GetProperty("name").GetString());
                break;
        }
    }

    [Theory]
    [InlineData(GatewayError.GatewayNotFound, 400, 2001)]
    [InlineData(GatewayError.InvalidProvider, 400, 2008)]
    [InlineData(GatewayError.UpstreamUnavailable, 502, 2005)]
    [InlineData(GatewayError.UpstreamTimeout, 504, 2005)]
    [InlineData(GatewayError.RequestBodyTooLarge, 413, 2010)]
    public void SpecCodes_AreKept(GatewayError error, int status, int code)
    {
        var d = ErrorDescription.For(error);
        Assert.Equal((status, code), (d.Status, d.Code));
    }
}
