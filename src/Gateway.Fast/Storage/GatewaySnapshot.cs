using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>An immutable view of every gateway: span lookups for the hot path, an ordered list for the API.</summary>
internal sealed class GatewaySnapshot
{
    private readonly FrozenDictionary<string, GatewaySettings> _byId;

    // Stored once: GetAlternateLookup validates the comparer on every call.
    private readonly FrozenDictionary<string, GatewaySettings>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public GatewaySnapshot(IEnumerable<GatewaySettings> gateways)
    {
        _byId = gateways.ToFrozenDictionary(static g => g.Id, StringComparer.Ordinal);
        _bySpan = _byId.GetAlternateLookup<ReadOnlySpan<char>>();

        var ordered = _byId.Values.ToArray();
        Array.Sort(ordered, static (a, b) =>
        {
            var byTime = a.CreatedAt.CompareTo(b.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        Ordered = Array.AsReadOnly(ordered);
    }

    /// <summary>Gateways ordered by <c>created_at</c>, then id.</summary>
    public IReadOnlyList<GatewaySettings> Ordered { get; }

    public bool TryGet(ReadOnlySpan<char> id, [MaybeNullWhen(false)] out GatewaySettings settings)
        => _bySpan.TryGetValue(id, out settings);

    public GatewaySnapshot With(GatewaySettings settings)
        => new(_byId.Values.Where(g => g.Id != settings.Id).Append(settings));

    public GatewaySnapshot Without(string id)
        => new(_byId.Values.Where(g => g.Id != id));
}
