using System.Text;
using Gateway.Fast.Pipeline;

namespace Gateway.Fast.Tests.Pipeline;

public sealed class RequestBodyPeekTests
{
    [Fact]
    public void ModelAndStream_AreFoundAtTopLevel()
    {
        var body = """{"messages":[{"role":"user","content":"hi","model":"inner"}],"model":"gpt-4o-mini","stream":true}"""u8.ToArray();
        Assert.True(RequestBodyPeek.TryPeek(body, out var model, out bool stream));
        Assert.Equal("gpt-4o-mini", Encoding.UTF8.GetString(body.AsSpan()[model]));
        Assert.True(stream);
    }

    [Fact]
    public void NestedStreamFlags_AreIgnored()
    {
        var body = """{"model":"m","options":{"stream":true},"stream":false}"""u8.ToArray();
        Assert.True(RequestBodyPeek.TryPeek(body, out _, out bool stream));
        Assert.False(stream);
    }

    [Fact]
    public void AbsentFields_LeaveDefaults()
    {
        Assert.True(RequestBodyPeek.TryPeek("""{"input":"x"}"""u8, out var model, out bool stream));
        Assert.Equal(0, model.End.Value - model.Start.Value);
        Assert.False(stream);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"model\":")]
    [InlineData("not json")]
    public void NonObjectsOrBrokenJson_ReturnFalseWithoutThrowing(string text)
    {
        Assert.False(RequestBodyPeek.TryPeek(Encoding.UTF8.GetBytes(text), out _, out _));
    }

    [Fact]
    public void StreamStringValue_IsNotTrue()
    {
        Assert.True(RequestBodyPeek.TryPeek("""{"stream":"true"}"""u8, out _, out bool stream));
        Assert.False(stream);
    }
}
