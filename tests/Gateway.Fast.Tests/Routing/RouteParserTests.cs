using Gateway.Fast.Routing;

namespace Gateway.Fast.Tests.Routing;

public sealed class RouteParserTests
{
    private static (RouteKind Kind, string Account, string Gateway, string Provider, string Tail) Parse(string path)
    {
        var m = RouteParser.Parse(path);
        return m.Kind is RouteKind.NotProxy or RouteKind.Malformed
            ? (m.Kind, "", "", "", "")
            : (m.Kind, path[m.Account], path[m.Gateway], path[m.Provider], path[m.Rest]);
    }

    [Theory]
    [InlineData("/v1/acct/gw/openai/chat/completions", "acct", "gw", "openai", "chat/completions")]
    [InlineData("/v1/a/default/anthropic/v1/messages", "a", "default", "anthropic", "v1/messages")]
    [InlineData("/v1/a/g/workers-ai/@cf/meta/llama-3.1-8b-instruct", "a", "g", "workers-ai", "@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("/v1/a/g/google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent", "a", "g", "google-ai-studio", "v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("/v1/a/g/openai", "a", "g", "openai", "")]
    [InlineData("/v1/a/g/openai/", "a", "g", "openai", "")]
    public void ProviderPath_SplitsIntoAccountGatewayProviderAndRest(string path, string account, string gateway, string provider, string rest)
    {
        Assert.Equal((RouteKind.Provider, account, gateway, provider, rest), Parse(path));
    }

    [Theory]
    [InlineData("/v1/a/g")]
    [InlineData("/v1/a/g/")]
    public void AccountAndGatewayAlone_IsTheUniversalEndpoint(string path)
    {
        var m = RouteParser.Parse(path);
        Assert.Equal(RouteKind.Universal, m.Kind);
        Assert.Equal("g", path[m.Gateway]);
    }

    [Fact]
    public void CompatSegment_IsTheUnifiedApi()
    {
        Assert.Equal(RouteKind.Compat, RouteParser.Parse("/v1/a/g/compat/chat/completions").Kind);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/embeddings")]
    [InlineData("/v1/models")]
    [InlineData("/v1/route-check")]
    public void ReservedFirstSegment_IsADefaultRoute(string path)
    {
        Assert.Equal(RouteKind.DefaultRoute, RouteParser.Parse(path).Kind);
    }

    [Theory]
    [InlineData("/v1/")]
    [InlineData("/v1/acct")]
    [InlineData("/v1//g/openai/x")]
    [InlineData("/v1/a//openai/x")]
    [InlineData("/v1/a/g//x")]
    [InlineData("/v1/a/g/openai//x")]
    public void EmptyOrMissingSegments_AreMalformed(string path)
    {
        Assert.Equal(RouteKind.Malformed, RouteParser.Parse(path).Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/health")]
    [InlineData("/metrics")]
    [InlineData("/v2/a/g/openai/x")]
    [InlineData("/v1")]
    [InlineData("/api/management/gateways")]
    public void PathsOutsideV1_AreNotProxyPaths(string? path)
    {
        Assert.Equal(RouteKind.NotProxy, RouteParser.Parse(path).Kind);
    }

    [Fact]
    public void EveryPrefixOfAProviderPath_ParsesWithoutThrowing()
    {
        const string path = "/v1/acct/gw/openai/chat/completions";
        for (int i = 0; i <= path.Length; i++)
        {
            var kind = RouteParser.Parse(path[..i]).Kind;
            Assert.True(Enum.IsDefined(kind));
        }
    }
}
