using Gateway.Fast.Client;

namespace Gateway.Fast.Tests.Clients;

/// <summary>Each gateway option of the .NET client becomes its cf-aig-* header, as the Workers binding maps it.</summary>
public sealed class GatewayHeadersTests
{
    [Fact]
    public void EveryOption_MapsOntoItsHeader()
    {
        var headers = GatewayHeaders.For(new GatewayOptions
        {
            Id = "ignored-here",
            CacheTtl = TimeSpan.FromHours(1),
            SkipCache = false,
            CacheKey = "k1",
            Metadata = new Dictionary<string, object?> { ["user"] = "ada", ["n"] = 1L, ["ok"] = true, ["none"] = null, ["ratio"] = 0.5 },
            CollectLog = true,
            EventId = "e-1",
            RequestTimeout = TimeSpan.FromMilliseconds(2500),
            Retries = new GatewayRetries { MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(100), Backoff = GatewayBackoff.Exponential },
        }).ToDictionary();

        Assert.Equal(new Dictionary<string, string>
        {
            ["cf-aig-skip-cache"] = "false",
            ["cf-aig-cache-ttl"] = "3600",
            ["cf-aig-cache-key"] = "k1",
            ["cf-aig-metadata"] = """{"user":"ada","n":1,"ok":true,"none":null,"ratio":0.5}""",
            ["cf-aig-collect-log"] = "true",
            ["cf-aig-event-id"] = "e-1",
            ["cf-aig-request-timeout"] = "2500",
            ["cf-aig-max-attempts"] = "3",
            ["cf-aig-retry-delay"] = "100",
            ["cf-aig-backoff"] = "exponential",
        }, headers);
    }

    [Fact]
    public void OptionsLeftOut_SendNoHeader()
    {
        Assert.Empty(GatewayHeaders.For(new GatewayOptions()));
        Assert.Empty(GatewayHeaders.For(null));
    }

    [Fact]
    public void MetadataOfAnotherType_IsRefusedBeforeAnyRequest()
    {
        var error = Assert.Throws<ArgumentException>(() => GatewayHeaders.MetadataJson(new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch }));

        Assert.Contains("when", error.Message, StringComparison.Ordinal);
    }
}
