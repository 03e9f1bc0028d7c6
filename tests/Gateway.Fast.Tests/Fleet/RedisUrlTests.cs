using Gateway.Fast.Fleet;

namespace Gateway.Fast.Tests.Fleet;

public sealed class RedisUrlTests
{
    [Theory]
    [InlineData("redis://cache:6380", "cache", 6380, false, null, null, 0)]
    [InlineData("redis://cache", "cache", 6379, false, null, null, 0)]
    [InlineData("rediss://cache.example.com:6380/3", "cache.example.com", 6380, true, null, null, 3)]
    [InlineData("redis://:s3cret@cache:6379/1", "cache", 6379, false, null, "s3cret", 1)]
    [InlineData("redis://app:p%40ss%3Aword@cache:6379", "cache", 6379, false, "app", "p@ss:word", 0)]
    [InlineData("redis://onlypassword@cache", "cache", 6379, false, null, "onlypassword", 0)]
    [InlineData("redis://[::1]:7000/2", "::1", 7000, false, null, null, 2)]
    [InlineData("cache:6379", "cache", 6379, false, null, null, 0)]
    public void TryParse_ReadsHostPortTlsCredentialsAndDatabase(string text, string host, int port, bool tls, string? user, string? password, int database)
    {
        Assert.True(RedisUrl.TryParse(text, out var url, out var error), error);
        Assert.Equal(new RedisUrl(host, port, tls, user, password, database), url);
    }

    [Theory]
    [InlineData("http://cache:6379", "scheme")]
    [InlineData("redis://cache:6379/notanumber", "database index")]
    [InlineData("redis://:pw@:6379", "URL")]
    public void TryParse_RefusesWhatIsNotARedisUrl_WithoutRepeatingIt(string text, string reason)
    {
        Assert.False(RedisUrl.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Display_LeavesTheCredentialsOut()
    {
        Assert.True(RedisUrl.TryParse("rediss://app:hunter2@cache:6380/4", out var url, out _));
        Assert.Equal("rediss://cache:6380/4", url.Display);
        Assert.DoesNotContain("hunter2", url.ToString(), StringComparison.Ordinal);
    }
}
