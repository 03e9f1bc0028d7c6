using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Pipeline;

public sealed class SessionIdHeaderTests
{
    private static string? Read(string? header = null, params string[] cookies)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (header is not null)
        {
            headers[SessionIdHeader.Name] = header;
        }

        if (cookies.Length > 0)
        {
            headers.Cookie = cookies;
        }

        return SessionIdHeader.Read(headers);
    }

    [Theory]
    [InlineData("abc-123")]
    [InlineData("A.b_c:d-9")]
    public void ValidHeader_IsKept(string value) => Assert.Equal(value, Read(value, "session_id=cookie"));

    [Theory]
    [InlineData("session_id=s-9", "s-9")]
    [InlineData("a=1; session_id=s-9; b=2", "s-9")]
    [InlineData("a=1;session_id = \"s-9\"", "s-9")]
    [InlineData("my_session_id=x; session_id=s-9", "s-9")]
    [InlineData("session_idx=x", null)]
    [InlineData("session_id=", null)]
    [InlineData("session_id=has space", null)]
    [InlineData("a=1", null)]
    public void Cookie_IsReadWhenNoHeader(string cookie, string? expected) => Assert.Equal(expected, Read(null, cookie));

    [Fact]
    public void CookieInASecondCookieHeader_IsFound() => Assert.Equal("s-2", Read(null, "a=1", "session_id=s-2"));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("<script>")]
    [InlineData("é")]
    [InlineData("a/b")]
    public void InvalidHeader_IsDropped_AndTheCookieUsedInstead(string header)
    {
        Assert.Null(Read(header));
        Assert.Equal("s-9", Read(header, "session_id=s-9"));
    }

    [Fact]
    public void LongerThan128_IsDropped()
    {
        Assert.Equal(new string('a', 128), Read(new string('a', 128)));
        Assert.Null(Read(new string('a', 129)));
        Assert.Null(Read(null, "session_id=" + new string('a', 129)));
    }

    [Fact]
    public void Nothing_IsNull() => Assert.Null(Read());
}
