namespace Gateway.Fast.Providers;

/// <summary>A catalog row with its effective upstream bases (configuration over the catalog's defaults).</summary>
public sealed class ResolvedProvider
{
    public ResolvedProvider(ProviderDescriptor descriptor, int index, string baseUrl, string? secondaryBaseUrl, bool overridden)
    {
        Descriptor = descriptor;
        Index = index;
        BaseUrl = baseUrl.TrimEnd('/');
        SecondaryBaseUrl = secondaryBaseUrl?.TrimEnd('/');
        Overridden = overridden;
    }

    public ProviderDescriptor Descriptor { get; }

    public string Id => Descriptor.Id;

    /// <summary>Position in the registry, for per-provider arrays (metric children).</summary>
    public int Index { get; }

    public string BaseUrl { get; }

    public string? SecondaryBaseUrl { get; }

    public bool Overridden { get; }
}
