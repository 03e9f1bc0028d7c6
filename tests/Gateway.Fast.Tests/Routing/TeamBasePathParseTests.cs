using Gateway.Fast.Routing;

namespace Gateway.Fast.Tests.Routing;

public sealed class TeamBasePathParseTests
{
    private static (string Provider, string Endpoint)? Parse(string? path)
    {
        if (!TeamBasePath.TryParse(path, out var match))
        {
            return null;
        }

        Assert.Equal(RouteKind.TeamBasePath, match.Kind);
        return (path![match.Provider], path[match.Rest]);
    }

    [Theory]
    [InlineData("chat/completions")]
    [InlineData("completions")]
    [InlineData("embeddings")]
    [InlineData("models")]
    public void WithAndWithoutV1_TheSameEndpointIsMatched(string endpoint)
    {
        foreach (string segment in (string[])["openai", "anthropic", "workers-ai", "google", "azure", "bedrock"])
        {
            Assert.Equal((segment, endpoint), Parse($"/{segment}/v1/{endpoint}"));
            Assert.Equal((segment, endpoint), Parse($"/{segment}/{endpoint}"));
        }
    }

    [Fact]
    public void UnderV1_AnyRestIsTaken_SoTheRouteCanAnswerWhatItServes()
    {
        Assert.Equal(("openai", "responses"), Parse("/openai/v1/responses"));
    }

    [Theory]
    [InlineData("/openai/responses")] // without v1/ only the four endpoints change hands
    [InlineData("/openai/chat")]
    [InlineData("/openai/chat/completions/")]
    [InlineData("/openai/models/gpt-4o")]
    [InlineData("/openai/")]
    [InlineData("/openai")]
    [InlineData("/openai/v1")]
    [InlineData("/openai/v1/")]
    [InlineData("/OpenAI/chat/completions")]
    [InlineData("/mistral/chat/completions")]
    [InlineData("/google-ai-studio/chat/completions")]
    [InlineData("//chat/completions")]
    [InlineData("/chat/completions")]
    [InlineData("/models")]
    [InlineData("/health")]
    [InlineData("/metrics")]
    [InlineData("/tokens")]
    [InlineData("/tokens/models")]
    [InlineData("/api/management/gateways")]
    [InlineData("/api/management/tokens")]
    [InlineData("/client/v4/accounts/a/ai-gateway/gateways")]
    [InlineData("/v1/chat/completions")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherPaths_AreNotTeamBasePaths(string? path)
    {
        Assert.Null(Parse(path));
    }

    [Theory]
    [InlineData("/openai/chat/completions")]
    [InlineData("/openai/v1/chat/completions")]
    [InlineData("/openai/models")]
    public void TheRouteParser_LeavesTeamBasePathsToTheTeamParser(string path)
    {
        // GatewayApp asks TeamBasePath only for what RouteParser calls NotProxy: /v1/… never reaches it.
        Assert.Equal(RouteKind.NotProxy, RouteParser.Parse(path).Kind);
    }

    [Theory]
    [InlineData("/v1/openai/chat/completions")]
    [InlineData("/v1/models")]
    public void V1Paths_StayWithTheRouteParser(string path)
    {
        Assert.NotEqual(RouteKind.NotProxy, RouteParser.Parse(path).Kind);
    }

    [Fact]
    public void EveryPrefixOfBothForms_ParsesWithoutThrowing()
    {
        foreach (string path in (string[])["/workers-ai/v1/chat/completions", "/workers-ai/chat/completions"])
        {
            for (int i = 0; i <= path.Length; i++)
            {
                bool matched = TeamBasePath.TryParse(path[..i], out var match);
                Assert.Equal(matched, match.Kind == RouteKind.TeamBasePath);
            }
        }
    }
}
