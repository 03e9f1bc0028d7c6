using System.Diagnostics.CodeAnalysis;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>The gateways the process knows, read on the hot path from an in-memory snapshot.</summary>
public interface IGatewayStore
{
    /// <summary>Looks a gateway up by id without allocating; false when it does not exist.</summary>
    bool TryGet(ReadOnlySpan<char> id, [MaybeNullWhen(false)] out GatewaySettings settings);
}
