namespace Gateway.Fast.Routing;

/// <summary>
/// The OpenAI-format base paths for team keys (docs/gateway-api.md#team-base-paths): <c>/openai/v1/chat/completions</c>, <c>/anthropic/v1/chat/completions</c>,
/// <c>/workers-ai/v1/…</c>, <c>/google/v1/…</c>, <c>/azure/v1/…</c>, <c>/bedrock/v1/…</c>, and the same endpoints without
/// <c>v1/</c> (<c>/openai/chat/completions</c>). The first segment names the provider, the rest the OpenAI endpoint; a team
/// key authenticates, the gateway holds the provider key.
/// </summary>
/// <remarks>
/// The form without <c>v1/</c> is what an SDK calls when its base URL is <c>http://host/openai</c>: the OpenAI SDK appends
/// <c>chat/completions</c> to the base URL as it is. Only the four endpoint names are taken there, so no other path under a
/// provider segment (nor any management path: none starts with these segments) changes hands.
/// </remarks>
public static class TeamBasePath
{
    private static readonly (string Segment, string Provider)[] Providers =
    [
        ("openai", "openai"), ("anthropic", "anthropic"), ("workers-ai", "workers-ai"), ("google", "google-ai-studio"),
        ("azure", "azure-openai"), ("bedrock", "aws-bedrock"),
    ];

    /// <summary>A <see cref="RouteKind.TeamBasePath"/> match (provider = the first segment, rest = the endpoint), or not.</summary>
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
        int restStart;
        if (rest.StartsWith("/v1/") && rest.Length > 4)
        {
            restStart = slash + 1 + 4;
        }
        else if (IsEndpoint(rest[1..]))
        {
            restStart = slash + 2;
        }
        else
        {
            return false;
        }

        if (ProviderOf(segment) is null)
        {
            return false;
        }

        match = new RouteMatch(RouteKind.TeamBasePath, default, default, 1..(slash + 1), restStart..path.Length);
        return true;
    }

    /// <summary>The endpoints a base path serves without <c>v1/</c>.</summary>
    private static bool IsEndpoint(ReadOnlySpan<char> rest) => rest switch
    {
        "chat/completions" or "completions" or "embeddings" or "models" => true,
        _ => false,
    };

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
