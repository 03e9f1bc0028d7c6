namespace Gateway.Fast.Routing;

/// <summary>
/// Seed 003's OpenAI-format base paths (spec §9): <c>/openai/v1/chat/completions</c>, <c>/anthropic/v1/chat/completions</c>,
/// <c>/workers-ai/v1/…</c>, <c>/google/v1/…</c>, <c>/azure/v1/…</c>, <c>/bedrock/v1/…</c>. The first segment names the
/// provider, the rest after <c>v1/</c> the OpenAI endpoint; a team key authenticates, the gateway holds the provider key.
/// </summary>
public static class TeamBasePath
{
    private static readonly (string Segment, string Provider)[] Providers =
    [
        ("openai", "openai"), ("anthropic", "anthropic"), ("workers-ai", "workers-ai"), ("google", "google-ai-studio"),
        ("azure", "azure-openai"), ("bedrock", "aws-bedrock"),
    ];

    /// <summary>A <see cref="RouteKind.TeamBasePath"/> match (provider = the first segment, rest = after <c>v1/</c>), or not.</summary>
    public static bool TryParse(string? path, out RouteMatch match)
    {
        match = default;
        if (path is null || path.Length < 2 || path[0] != '/')
        {
            return false;
        }

        ReadOnlySpan<char> span = path;
        int slash = span[1..].IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var segment = span[1..(slash + 1)];
        var rest = span[(slash + 1)..];
        if (!rest.StartsWith("/v1/") || rest.Length == 4 || ProviderOf(segment) is null)
        {
            return false;
        }

        int restStart = slash + 1 + 4;
        match = new RouteMatch(RouteKind.TeamBasePath, default, default, 1..(slash + 1), restStart..path.Length);
        return true;
    }

    /// <summary>The catalog slug behind a base-path segment (<c>google</c> → <c>google-ai-studio</c>), or null.</summary>
    public static string? ProviderOf(ReadOnlySpan<char> segment)
    {
        foreach (var (name, provider) in Providers)
        {
            if (segment.SequenceEqual(name))
            {
                return provider;
            }
        }

        return null;
    }
}
