using System.Text;
using Gateway.Fast.Caching;

namespace Gateway.Fast.Tests.Caching;

public sealed class HeaderStringCacheTests
{
    [Fact]
    public void Get_ReturnsTheSameStringForEqualBytes()
    {
        var first = HeaderStringCache.Get("application/json"u8);
        var second = HeaderStringCache.Get(Encoding.ASCII.GetBytes("application/json"));

        Assert.Equal("application/json", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_DecodesEveryValueCorrectlyWhenValuesShareSlots()
    {
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 500; i++)
            {
                var text = "req_" + i;
                Assert.Equal(text, HeaderStringCache.Get(Encoding.ASCII.GetBytes(text)));
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("attachment; filename=\"résumé.txt\"")] // not ASCII: decoded as UTF-8, not kept
    public void Get_DecodesUtf8(string text)
    {
        Assert.Equal(text, HeaderStringCache.Get(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, HeaderStringCache.Get(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Get_DecodesALongValueWithoutKeepingIt()
    {
        var text = new string('v', 4_000);

        Assert.Equal(text, HeaderStringCache.Get(Encoding.ASCII.GetBytes(text)));
    }
}
