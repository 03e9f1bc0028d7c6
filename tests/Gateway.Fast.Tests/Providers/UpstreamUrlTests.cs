using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Providers;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Tests.Providers;

public sealed class UpstreamUrlTests
{
    private static readonly ProviderRegistry Defaults = new(Options.Create(new GatewayOptions()));

    private static string Build(string provider, string rest, string query = "", string account = "acct", ProviderRegistry? registry = null)
    {
        Assert.True((registry ?? Defaults).TryGet(provider, out var p));
        Assert.Equal(GatewayError.None, UpstreamUrl.TryBuild(p!, rest, account, query, out var url));
        return url;
    }

    private static GatewayError Fail(string provider, string rest)
    {
        Assert.True(Defaults.TryGet(provider, out var p));
        return UpstreamUrl.TryBuild(p!, rest, "acct", "", out _);
    }

    [Theory]
    [InlineData("openai", "chat/completions", "https://api.openai.com/v1/chat/completions")]
    [InlineData("anthropic", "v1/messages", "https://api.anthropic.com/v1/messages")]
    [InlineData("google-ai-studio", "v1beta/models/gemini-2.5-flash:generateContent", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("groq", "chat/completions", "https://api.groq.com/openai/v1/chat/completions")]
    [InlineData("mistral", "v1/chat/completions", "https://api.mistral.ai/v1/chat/completions")]
    [InlineData("deepseek", "chat/completions", "https://api.deepseek.com/chat/completions")]
    [InlineData("perplexity-ai", "chat/completions", "https://api.perplexity.ai/chat/completions")]
    [InlineData("replicate", "predictions", "https://api.replicate.com/v1/predictions")]
    [InlineData("huggingface", "org/model", "https://api-inference.huggingface.co/models/org/model")]
    [InlineData("cerebras", "chat/completions", "https://api.cerebras.ai/v1/chat/completions")]
    [InlineData("elevenlabs", "v1/text-to-speech/voice1", "https://api.elevenlabs.io/v1/text-to-speech/voice1")]
    [InlineData("cartesia", "tts/bytes", "https://api.cartesia.ai/tts/bytes")]
    [InlineData("fal", "fal-ai/flux/dev", "https://fal.run/fal-ai/flux/dev")]
    [InlineData("ideogram", "v1/ideogram-v3/generate", "https://api.ideogram.ai/v1/ideogram-v3/generate")]
    [InlineData("parallel", "v1/tasks/runs", "https://api.parallel.ai/v1/tasks/runs")]
    [InlineData("deepgram", "v1/listen", "https://api.deepgram.com/v1/listen")]
    public void SpecTable_MapsEachProviderToItsBase(string provider, string rest, string expected)
    {
        Assert.Equal(expected, Build(provider, rest));
    }

    [Theory]
    [InlineData("grok", "chat/completions", "https://api.x.ai/v1/chat/completions")]
    [InlineData("grok", "v1/chat/completions", "https://api.x.ai/v1/chat/completions")]
    [InlineData("openrouter", "chat/completions", "https://openrouter.ai/api/v1/chat/completions")]
    [InlineData("cohere", "chat", "https://api.cohere.ai/v1/chat")]
    [InlineData("cohere", "v2/chat", "https://api.cohere.ai/v2/chat")]
    [InlineData("cohere", "v1/chat", "https://api.cohere.ai/v1/chat")]
    public void VersionPrefix_IsAddedOnlyWhenMissing(string provider, string rest, string expected)
    {
        Assert.Equal(expected, Build(provider, rest));
    }

    [Theory]
    [InlineData("@cf/meta/llama-3.1-8b-instruct", "https://api.cloudflare.com/client/v4/accounts/acct/ai/run/@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("run/@cf/meta/llama", "https://api.cloudflare.com/client/v4/accounts/acct/ai/run/@cf/meta/llama")]
    [InlineData("v1/chat/completions", "https://api.cloudflare.com/client/v4/accounts/acct/ai/v1/chat/completions")]
    public void WorkersAi_RunsCfModelsUnderTheUrlsAccount(string rest, string expected)
    {
        Assert.Equal(expected, Build("workers-ai", rest));
    }

    [Fact]
    public void AzureOpenAi_FillsResourceAndDeployment()
    {
        Assert.Equal("https://myres.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21",
            Build("azure-openai", "myres/gpt4o/chat/completions", "?api-version=2024-10-21"));
    }

    [Theory]
    [InlineData("bedrock-runtime/us-east-1/model/amazon.nova-pro-v1:0/converse", "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1:0/converse")]
    [InlineData("bedrock-mantle/us-west-2/anthropic/v1/messages", "https://bedrock-mantle.us-west-2.api.aws/anthropic/v1/messages")]
    public void Bedrock_PicksServiceAndRegion(string rest, string expected)
    {
        Assert.Equal(expected, Build("aws-bedrock", rest));
    }

    [Fact]
    public void Vertex_TakesTheRegionFromTheLocationSegment()
    {
        Assert.Equal("https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent",
            Build("google-vertex-ai", "v1/projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent"));
    }

    [Theory]
    [InlineData("model/abc123", "https://model-abc123.api.baseten.co/production/predict")]
    [InlineData("v1/chat/completions", "https://inference.baseten.co/v1/chat/completions")]
    public void Baseten_RoutesModelIdsToTheirHost(string rest, string expected)
    {
        Assert.Equal(expected, Build("baseten", rest));
    }

    [Theory]
    [InlineData("azure-openai", "onlyresource")]
    [InlineData("azure-openai", "evil.com@x/dep/chat")]
    [InlineData("aws-bedrock", "bedrock-runtime")]
    [InlineData("aws-bedrock", "s3/us-east-1/x")]
    [InlineData("aws-bedrock", "bedrock-runtime/evil.com#/x")]
    [InlineData("google-vertex-ai", "v1/projects/p/publishers/google")]
    public void MissingOrUnsafeHostParts_AreMalformed(string provider, string rest)
    {
        Assert.Equal(GatewayError.MalformedPath, Fail(provider, rest));
    }

    [Fact]
    public void ConfiguredBase_ReplacesTheHost()
    {
        var options = new GatewayOptions();
        options.Providers["openai"] = new ProviderOverride { BaseUrl = "http://127.0.0.1:5000/v1/" };
        var registry = new ProviderRegistry(Options.Create(options));
        Assert.Equal("http://127.0.0.1:5000/v1/chat/completions?x=1", Build("openai", "chat/completions", "?x=1", registry: registry));
    }

    [Fact]
    public void CharactersThatWouldEndThePath_AreEscaped()
    {
        Assert.Equal("https://api.openai.com/v1/files/a%20b%3Fc%23d%C3%A9", Build("openai", "files/a b?c#dé"));
    }

    [Fact]
    public void EncodedSlashes_StayEncoded()
    {
        Assert.Equal("https://api.openai.com/v1/a%2Fb", Build("openai", "a%2Fb"));
    }
}
