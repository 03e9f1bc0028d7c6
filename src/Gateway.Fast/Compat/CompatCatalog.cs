using System.Diagnostics.CodeAnalysis;

namespace Gateway.Fast.Compat;

/// <summary>
/// Which providers the unified API reaches and how (docs/gateway-api.md#unified-api): <c>model = "{provider}/{model}"</c>. OpenAI-compatible
/// providers are rows of data; the others name a translator family.
/// </summary>
/// <remarks>
/// Prefixes are catalog slugs, plus the short names the spec's examples use (<c>perplexity/</c>, <c>google/</c>…).
/// Azure OpenAI takes <c>azure-openai/{resource}/{deployment}</c>; Workers AI keeps the model's own slashes
/// (<c>workers-ai/@cf/meta/llama-3.1-8b-instruct</c>).
/// </remarks>
internal static class CompatCatalog
{
    public static readonly CompatProvider[] All =
    [
        new("openai", CompatFamily.OpenAICompatible, "chat/completions", "embeddings"),
        new("anthropic", CompatFamily.Anthropic),
        new("google-ai-studio", CompatFamily.Gemini),
        new("aws-bedrock", CompatFamily.Bedrock, Placement: CompatPlacement.Region),
        new("cohere", CompatFamily.Cohere),
        new("workers-ai", CompatFamily.OpenAICompatible, "v1/chat/completions", "v1/embeddings"),
        new("azure-openai", CompatFamily.OpenAICompatible, "chat/completions", "embeddings", CompatPlacement.Deployment),
        new("groq", CompatFamily.OpenAICompatible, "chat/completions", "embeddings"),
        new("mistral", CompatFamily.OpenAICompatible, "v1/chat/completions", "v1/embeddings"),
        new("deepseek", CompatFamily.OpenAICompatible, "chat/completions"),
        new("grok", CompatFamily.OpenAICompatible, "v1/chat/completions"),
        new("perplexity-ai", CompatFamily.OpenAICompatible, "chat/completions"),
        new("openrouter", CompatFamily.OpenAICompatible, "v1/chat/completions", "v1/embeddings"),
        new("cerebras", CompatFamily.OpenAICompatible, "chat/completions"),
        new("baseten", CompatFamily.OpenAICompatible, "v1/chat/completions"),
    ];

    /// <summary>The short prefixes the spec's examples use besides the slugs.</summary>
    private static readonly (string Alias, string Slug)[] Aliases =
    [
        ("perplexity", "perplexity-ai"), ("xai", "grok"), ("google", "google-ai-studio"), ("gemini", "google-ai-studio"),
        ("bedrock", "aws-bedrock"), ("azure", "azure-openai"), ("cloudflare", "workers-ai"),
    ];

    // After Aliases: static initialisers run in text order.
    private static readonly Dictionary<string, CompatProvider> ByPrefix = BuildPrefixes();

    /// <summary>Splits <c>{provider}/{model}</c>; false when there is no prefix or the prefix names no compat provider.</summary>
    /// <param name="model">The caller's model string.</param>
    /// <param name="provider">The provider, when the prefix is known.</param>
    /// <param name="nativeModel">The model without its prefix.</param>
    /// <param name="hasPrefix">The model had a <c>/</c>, whether or not the prefix is known.</param>
    public static bool TryResolve(string model, [NotNullWhen(true)] out CompatProvider? provider, out string nativeModel, out bool hasPrefix)
    {
        int slash = model.IndexOf('/');
        hasPrefix = slash > 0 && slash < model.Length - 1;
        nativeModel = hasPrefix ? model[(slash + 1)..] : model;
        provider = null;
        return hasPrefix && ByPrefix.TryGetValue(model[..slash], out provider);
    }

    /// <summary>The compat row of a catalog slug (no aliases).</summary>
    public static bool TryGetBySlug(string slug, [NotNullWhen(true)] out CompatProvider? provider)
    {
        foreach (var row in All)
        {
            if (row.Slug == slug)
            {
                provider = row;
                return true;
            }
        }

        provider = null;
        return false;
    }

    private static Dictionary<string, CompatProvider> BuildPrefixes()
    {
        var map = new Dictionary<string, CompatProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in All)
        {
            map[row.Slug] = row;
        }

        foreach (var (alias, slug) in Aliases)
        {
            map[alias] = map[slug];
        }

        return map;
    }
}
