using System.Diagnostics.CodeAnalysis;
using Gateway.Fast.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Providers;

/// <summary>The catalog resolved against configuration once at start; looked up by slug span without allocating.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, ResolvedProvider>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ProviderRegistry(IOptions<GatewayOptions> options)
    {
        var overrides = options.Value.Providers;
        var all = new ResolvedProvider[ProviderCatalog.All.Length];
        var map = new Dictionary<string, ResolvedProvider>(StringComparer.Ordinal);
        for (int i = 0; i < all.Length; i++)
        {
            var d = ProviderCatalog.All[i];
            overrides.TryGetValue(d.Id, out var o);
            bool overridden = !string.IsNullOrWhiteSpace(o?.BaseUrl);
            all[i] = new ResolvedProvider(d, i,
                overridden ? o!.BaseUrl! : d.DefaultBaseUrl,
                string.IsNullOrWhiteSpace(o?.SecondaryBaseUrl) ? d.DefaultSecondaryBaseUrl : o!.SecondaryBaseUrl,
                overridden);
            map.Add(d.Id, all[i]);
        }

        All = all;
        _lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<ResolvedProvider> All { get; }

    public bool TryGet(ReadOnlySpan<char> slug, [MaybeNullWhen(false)] out ResolvedProvider provider)
        => _lookup.TryGetValue(slug, out provider);
}
