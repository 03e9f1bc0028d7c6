using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Caching;

public sealed partial class CacheControlsTests
{
    /// <summary>A TTL header the parser accepts: only then, or with a custom key, may a stream be stored.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"ttl=\d+(;|$)")]
    private static partial System.Text.RegularExpressions.Regex ValidTtlHeader { get; }

    public static TheoryData<string, int?, bool, CacheMode, int, string?> Cases => new()
    {
        // headers ("name=value;…"), gateway cache_ttl, stream request → mode, ttl, custom key
        { "", null, false, CacheMode.Off, 0, null },
        { "", 0, false, CacheMode.Off, 0, null },
        { "", 120, false, CacheMode.On, 120, null },
        { "", 10, false, CacheMode.On, 10, null },
        { "cf-aig-cache-ttl=3600", null, false, CacheMode.On, 3600, null },
        { "cf-aig-cache-ttl=3600", 120, false, CacheMode.On, 3600, null },
        { "cf-aig-cache-ttl=1", null, false, CacheMode.On, 60, null },
        { "cf-aig-cache-ttl=99999999", null, false, CacheMode.On, 2_592_000, null },
        { "cf-aig-cache-ttl=0", 120, false, CacheMode.Off, 0, null },
        { "cf-aig-cache-ttl=0;cf-aig-cache-key=k", 120, false, CacheMode.Off, 0, null },
        { "cf-aig-cache-ttl=-5", 120, false, CacheMode.On, 120, null },
        { "cf-aig-cache-ttl=abc", null, false, CacheMode.Off, 0, null },
        { "cf-aig-cache-ttl=1.5", 120, false, CacheMode.On, 120, null },
        { "cf-cache-ttl=600", null, false, CacheMode.On, 600, null },
        { "cf-aig-cache-ttl=600;cf-cache-ttl=900", null, false, CacheMode.On, 600, null },
        { "cf-aig-skip-cache=true", 120, false, CacheMode.Bypass, 0, null },
        { "cf-aig-skip-cache=TRUE;cf-aig-cache-ttl=600", 120, false, CacheMode.Bypass, 0, null },
        { "cf-aig-skip-cache=1", 120, false, CacheMode.Bypass, 0, null },
        { "cf-skip-cache=True", 120, false, CacheMode.Bypass, 0, null },
        { "cf-aig-skip-cache=false", 120, false, CacheMode.On, 120, null },
        { "cf-aig-skip-cache=yes", 120, false, CacheMode.On, 120, null },
        { "cf-aig-cache-key=my-key", null, false, CacheMode.On, 300, "my-key" },
        { "cf-aig-cache-key=my-key", 120, false, CacheMode.On, 120, "my-key" },
        { "cf-aig-cache-key=my-key;cf-aig-cache-ttl=900", 120, false, CacheMode.On, 900, "my-key" },
        { "cf-aig-cache-key=", 120, false, CacheMode.On, 120, null },
        { "", 120, true, CacheMode.Off, 0, null },
        { "cf-aig-cache-ttl=600", null, true, CacheMode.On, 600, null },
        { "cf-aig-cache-key=k", 120, true, CacheMode.On, 120, "k" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ControlsFollowTheSpecTable(string headers, int? gatewayTtl, bool stream, CacheMode mode, int ttl, string? key)
    {
        var dict = new HeaderDictionary();
        foreach (var pair in headers.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            dict[parts[0]] = parts[1];
        }

        var controls = CacheControls.Parse(dict, gatewayTtl, stream);
        Assert.Equal(new CacheControls(mode, ttl, key, mode == CacheMode.On && (key is not null || ValidTtlHeader.IsMatch(headers))), controls);
        Assert.Equal(key is not null, controls.HasCustomKey);
    }

    [Theory]
    [InlineData(CacheMode.Bypass, "BYPASS")]
    [InlineData(CacheMode.Off, "MISS")]
    [InlineData(CacheMode.On, "MISS")]
    public void TheStatusHeaderOfAnUncachedAnswerFollowsTheMode(CacheMode mode, string status)
        => Assert.Equal(status, CacheHeaders.StatusFor(mode));
}
