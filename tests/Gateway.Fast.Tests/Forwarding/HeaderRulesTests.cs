using Gateway.Fast.Forwarding;

namespace Gateway.Fast.Tests.Forwarding;

public sealed class HeaderRulesTests
{
    [Theory]
    [InlineData("Connection")]
    [InlineData("keep-alive")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Upgrade")]
    [InlineData("Proxy-Connection")]
    [InlineData("Proxy-Authorization")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Host")]
    [InlineData("Content-Length")]
    [InlineData("cf-aig-authorization")]
    [InlineData("CF-AIG-Cache-TTL")]
    [InlineData("cf-skip-cache")]
    [InlineData(":authority")]
    public void GatewayAndHopByHopHeaders_AreNotSentUpstream(string name) => Assert.True(HeaderRules.SkipRequestHeader(name));

    [Theory]
    [InlineData("Authorization")]
    [InlineData("x-api-key")]
    [InlineData("anthropic-version")]
    [InlineData("Content-Type")]
    [InlineData("x-goog-api-key")]
    [InlineData("OpenAI-Organization")]
    public void ProviderHeaders_AreSentUpstream(string name) => Assert.False(HeaderRules.SkipRequestHeader(name));

    [Theory]
    [InlineData("Connection", true)]
    [InlineData("Transfer-Encoding", true)]
    [InlineData("Content-Type", false)]
    [InlineData("x-request-id", false)]
    public void HopByHopResponseHeaders_AreDropped(string name, bool skipped) => Assert.Equal(skipped, HeaderRules.SkipResponseHeader(name));
}
