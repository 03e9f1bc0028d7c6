using Gateway.Fast.Configuration;

namespace Gateway.Fast.Storage;

/// <summary>What a store mutation did, with the settings now stored (or the clashing ones for <see cref="GatewayStoreStatus.AlreadyExists"/>).</summary>
public readonly record struct GatewayStoreResult(GatewayStoreStatus Status, GatewaySettings? Settings);
