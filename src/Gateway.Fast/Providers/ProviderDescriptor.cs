using Gateway.Fast.Errors;

namespace Gateway.Fast.Providers;

/// <summary>One row of the provider catalog: wire id, default upstream, credential style, path rule, error shape.</summary>
public sealed class ProviderDescriptor
{
    public ProviderDescriptor(string id, string defaultBaseUrl, ProviderAuth auth, PathRule pathRule = PathRule.Append,
        ErrorShape errorShape = ErrorShape.Cloudflare, string? secondaryBaseUrl = null, UsageDialect usage = UsageDialect.None)
    {
        Usage = usage;
        Id = id;
        DefaultBaseUrl = defaultBaseUrl;
        Auth = auth;
        PathRule = pathRule;
        ErrorShape = errorShape;
        DefaultSecondaryBaseUrl = secondaryBaseUrl;
    }

    /// <summary>The slug in <c>/v1/{a}/{g}/{provider}/…</c>, the configuration key and the metric label.</summary>
    public string Id { get; }

    /// <summary>Default upstream base (docs/gateway-api.md#provider-endpoints); may hold <c>{account}</c>, <c>{resource}</c>, <c>{deployment}</c>, <c>{region}</c>, <c>{model}</c>.</summary>
    public string DefaultBaseUrl { get; }

    /// <summary>A second base some rules need: Bedrock Mantle, Baseten's per-model host.</summary>
    public string? DefaultSecondaryBaseUrl { get; }

    public ProviderAuth Auth { get; }

    public PathRule PathRule { get; }

    public ErrorShape ErrorShape { get; }

    /// <summary>How its native answers report token usage.</summary>
    public UsageDialect Usage { get; }
}
