namespace Gateway.Fast.Configuration;

/// <summary>Immutable snapshot of one gateway's stored settings (gateway-spec §6.2).</summary>
public sealed class GatewaySettings
{
    public required string Id { get; init; }
}
