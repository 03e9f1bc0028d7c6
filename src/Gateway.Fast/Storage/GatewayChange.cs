using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>One committed gateway mutation: <see cref="Previous"/> is null on create, <see cref="Current"/> null on delete.</summary>
public readonly record struct GatewayChange(GatewayChangeKind Kind, GatewaySettings? Previous, GatewaySettings? Current)
{
    /// <summary>The id of the gateway that changed.</summary>
    public string Id => (Current ?? Previous)!.Id;
}
