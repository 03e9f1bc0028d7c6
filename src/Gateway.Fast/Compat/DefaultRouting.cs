using Gateway.Fast.Errors;

namespace Gateway.Fast.Compat;

/// <summary>
/// Model-routed default routes (docs/gateway-api.md#default-routes): <c>/v1/chat/completions</c> and friends pick the provider from an
/// explicit <c>provider</c> field, else a <c>{provider}/</c> prefix, else the first model-name pattern that matches.
/// </summary>
internal static class DefaultRouting
{
    /// <summary>Patterns in order; <c>*</c> matches any run of characters. The first match wins.</summary>
    public static readonly (string Pattern, string Slug)[] Patterns =
    [
        ("@cf/*", "workers-ai"),
        ("@hf/*", "workers-ai"),
        ("gpt-*", "openai"),
        ("chatgpt-*", "openai"),
        ("o1*", "openai"),
        ("o3*", "openai"),
        ("o4*", "openai"),
        ("text-embedding-*", "openai"),
        ("claude-*", "anthropic"),
        ("*gemini*", "google-ai-studio"),
        ("text-embedding-004", "google-ai-studio"),
        ("command*", "cohere"),
        ("embed-*", "cohere"),
        ("nova-*", "aws-bedrock"),
        ("amazon.*", "aws-bedrock"),
        ("anthropic.*", "aws-bedrock"),
        ("mistral-*", "mistral"),
        ("mixtral-*", "mistral"),
        ("codestral-*", "mistral"),
        ("deepseek-*", "deepseek"),
        ("grok-*", "grok"),
        ("sonar*", "perplexity-ai"),
    ];

    /// <summary>Resolves the provider of <paramref name="model"/>; 400 with the known patterns when nothing matches.</summary>
    public static GatewayError Resolve(string? explicitProvider, string model, out CompatProvider? row, out string nativeModel, out string? detail)
    {
        detail = null;
        if (explicitProvider is { } slug)
        {
            if (CompatCatalog.TryResolve(slug + "/" + model, out row, out _, out _))
            {
                nativeModel = model.StartsWith(slug + "/", StringComparison.OrdinalIgnoreCase) ? model[(slug.Length + 1)..] : model;
                return GatewayError.None;
            }

            nativeModel = model;
            detail = "the provider field names no provider of the unified API";
            return GatewayError.InvalidProvider;
        }

        if (!model.StartsWith('@') && CompatCatalog.TryResolve(model, out row, out nativeModel, out _))
        {
            return GatewayError.None;
        }

        nativeModel = model;
        if (TryMatch(model, out string? matched) && CompatCatalog.TryGetBySlug(matched, out row))
        {
            return GatewayError.None;
        }

        row = null;
        detail = "no provider matches model '" + Truncate(model) + "'; set \"provider\", prefix the model with \"{provider}/\", or use a model matching one of: "
            + string.Join(", ", Array.ConvertAll(Patterns, static p => p.Pattern + " → " + p.Slug));
        return GatewayError.ChatCompletionBadFormat;
    }

    /// <summary>The provider slug whose pattern matches <paramref name="model"/> first.</summary>
    public static bool TryMatch(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? slug)
    {
        foreach (var (pattern, provider) in Patterns)
        {
            if (Matches(pattern, model))
            {
                slug = provider;
                return true;
            }
        }

        slug = null;
        return false;
    }

    /// <summary>The first pattern <paramref name="model"/> matches, for <c>/v1/route-check</c>.</summary>
    public static string? MatchingPattern(string model)
    {
        foreach (var (pattern, _) in Patterns)
        {
            if (Matches(pattern, model))
            {
                return pattern;
            }
        }

        return null;
    }

    /// <summary>Glob match with <c>*</c> only, case-insensitive.</summary>
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.Equals(text, StringComparison.OrdinalIgnoreCase);
        }

        if (!text.StartsWith(pattern[..star], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        var remaining = text[star..];
        if (rest.IsEmpty)
        {
            return true;
        }

        for (int i = 0; i <= remaining.Length; i++)
        {
            if (Matches(rest, remaining[i..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Model names are echoed in errors only up to 100 characters.</summary>
    private static string Truncate(string model) => model.Length <= 100 ? model : model[..100] + "…";
}
