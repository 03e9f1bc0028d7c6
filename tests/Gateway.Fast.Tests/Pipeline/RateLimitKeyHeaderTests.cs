using Gateway.Fast.Pipeline;
using Gateway.Fast.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Tests.Pipeline;

public sealed class RateLimitKeyHeaderTests
{
    private static RateLimitKey KeyFor(StringValues header)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (header.Count > 0)
        {
            headers[RateLimitKeyHeader.Name] = header;
        }

        return RateLimitKeyHeader.KeyFor("gw", headers);
    }

    [Theory]
    [InlineData("user-42")]
    [InlineData("jane.doe+ai@example.com")]
    [InlineData("tenant 7 / user 9")]
    public void ValidValue_NamesTheCallersOwnCounter(string value)
    {
        var key = KeyFor(value);

        Assert.Equal(RateLimitKey.ForCaller("gw", value), key);
        Assert.Equal(RateLimitScope.Caller, key.Scope);
        Assert.Same(value, key.SubId); // the header's own string, not a copy
    }

    [Fact]
    public void AbsentHeader_IsTheGatewayWideCounter() => Assert.Equal(RateLimitKey.ForGateway("gw"), KeyFor(StringValues.Empty));

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("naïve")]
    [InlineData("line\nbreak")]
    public void InvalidValue_IsIgnored(string value) => Assert.Equal(RateLimitKey.ForGateway("gw"), KeyFor(value));

    [Fact]
    public void ValueOfMaxLength_IsKept_AndOneLongerIsIgnored()
    {
        Assert.Equal(RateLimitScope.Caller, KeyFor(new string('u', RateLimitKeyHeader.MaxLength)).Scope);
        Assert.Equal(RateLimitKey.ForGateway("gw"), KeyFor(new string('u', RateLimitKeyHeader.MaxLength + 1)));
    }

    [Fact]
    public void TwoValues_AreIgnored() => Assert.Equal(RateLimitKey.ForGateway("gw"), KeyFor(new StringValues(["a", "b"])));

    [Fact]
    public void CallerKey_DiffersFromTheTeamAndApiKeyOfTheSameName()
    {
        var caller = RateLimitKey.ForCaller("gw", "x");

        Assert.NotEqual(RateLimitKey.ForTeam("gw", "x"), caller);
        Assert.NotEqual(RateLimitKey.ForApiKey("gw", "x"), caller);
        Assert.NotEqual(RateLimitKey.ForCaller("other", "x"), caller);
        Assert.Equal(RateLimitKey.ForCaller("gw", new string('x', 1)), caller);
        Assert.Equal("caller:gw/x", caller.ToString());
    }
}
