using Gateway.Fast.Pipeline;

namespace Gateway.Fast.Tests.Pipeline;

public sealed class MetadataHeaderTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("""{"team":"a","n":1,"ok":true}""", """{"team":"a","n":1,"ok":true}""")]
    [InlineData("""{ "a" : "x" }""", """{"a":"x"}""")]
    public void ValidOrAbsentMetadata_IsNormalised(string? header, string? expected)
    {
        Assert.True(MetadataHeader.TryParse(header, out var json, out var error));
        Assert.Null(error);
        Assert.Equal(expected, json);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("""{"a":{"nested":1}}""")]
    [InlineData("""{"a":[1]}""")]
    [InlineData("""{"a":null}""")]
    [InlineData("""{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}""")]
    public void MalformedOrOverTheLimits_IsRefusedWithAReason(string header)
    {
        Assert.False(MetadataHeader.TryParse(header, out var json, out var error));
        Assert.Null(json);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void OverTheSizeLimit_IsRefused()
    {
        var header = "{\"a\":\"" + new string('x', MetadataHeader.MaxBytes) + "\"}";
        Assert.False(MetadataHeader.TryParse(header, out _, out var error));
        Assert.Contains("longer", error);
    }
}
