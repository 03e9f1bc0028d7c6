using Gateway.Fast.Errors;

namespace Gateway.Fast.Providers;

/// <summary>Every HTTP provider (docs/gateway-api.md#provider-endpoints): the one table of wire ids. OpenAI-compatible providers are just rows.</summary>
public static class ProviderCatalog
{
    public static readonly ProviderDescriptor[] All =
    [
        new("openai", "https://api.openai.com/v1", ProviderAuth.Bearer, PathRule.Append, ErrorShape.OpenAI, usage: UsageDialect.OpenAI),
        new("anthropic", "https://api.anthropic.com", ProviderAuth.XApiKey, PathRule.Append, ErrorShape.Anthropic, usage: UsageDialect.Anthropic),
        new("google-ai-studio", "https://generativelanguage.googleapis.com", ProviderAuth.GoogApiKey, usage: UsageDialect.Gemini),
        new("google-vertex-ai", "https://{region}-aiplatform.googleapis.com", ProviderAuth.Bearer, PathRule.GoogleVertex, usage: UsageDialect.Vertex),
        new("workers-ai", "https://api.cloudflare.com/client/v4/accounts/{account}/ai", ProviderAuth.Bearer, PathRule.WorkersAi,
            usage: UsageDialect.WorkersAi),
        new("azure-openai", "https://{resource}.openai.azure.com/openai/deployments/{deployment}", ProviderAuth.AzureApiKey, PathRule.AzureOpenAi,
            usage: UsageDialect.OpenAI),
        new("aws-bedrock", "https://bedrock-runtime.{region}.amazonaws.com", ProviderAuth.SigV4, PathRule.AwsBedrock,
            secondaryBaseUrl: "https://bedrock-mantle.{region}.api.aws", usage: UsageDialect.Bedrock),
        new("groq", "https://api.groq.com/openai/v1", ProviderAuth.Bearer, usage: UsageDialect.OpenAI),
        new("mistral", "https://api.mistral.ai", ProviderAuth.Bearer, usage: UsageDialect.OpenAI),
        new("cohere", "https://api.cohere.ai", ProviderAuth.Bearer, PathRule.PrependV1UnlessV2, usage: UsageDialect.Cohere),
        new("deepseek", "https://api.deepseek.com", ProviderAuth.Bearer, usage: UsageDialect.OpenAI),
        new("grok", "https://api.x.ai", ProviderAuth.Bearer, PathRule.PrependV1, usage: UsageDialect.OpenAI),
        new("perplexity-ai", "https://api.perplexity.ai", ProviderAuth.Bearer, usage: UsageDialect.OpenAI),
        new("openrouter", "https://openrouter.ai/api", ProviderAuth.Bearer, PathRule.PrependV1, usage: UsageDialect.OpenAI),
        new("replicate", "https://api.replicate.com/v1", ProviderAuth.Bearer),
        new("huggingface", "https://api-inference.huggingface.co/models", ProviderAuth.Bearer),
        new("cerebras", "https://api.cerebras.ai/v1", ProviderAuth.Bearer, usage: UsageDialect.OpenAI),
        new("elevenlabs", "https://api.elevenlabs.io", ProviderAuth.XiApiKey),
        new("cartesia", "https://api.cartesia.ai", ProviderAuth.XApiKey),
        new("fal", "https://fal.run", ProviderAuth.FalKey),
        new("ideogram", "https://api.ideogram.ai", ProviderAuth.IdeogramApiKey),
        new("baseten", "https://inference.baseten.co", ProviderAuth.Bearer, PathRule.Baseten,
            secondaryBaseUrl: "https://model-{model}.api.baseten.co/production/predict"),
        new("parallel", "https://api.parallel.ai", ProviderAuth.XApiKey),
        new("deepgram", "https://api.deepgram.com", ProviderAuth.Token),
    ];

    /// <summary>The row whose wire id is <paramref name="id"/>, or null.</summary>
    public static ProviderDescriptor? Find(string id)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        return null;
    }
}
