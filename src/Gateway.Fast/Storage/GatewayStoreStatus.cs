namespace Gateway.Fast.Storage;

/// <summary>Outcome of a gateway store mutation; expected misses are values, not exceptions.</summary>
public enum GatewayStoreStatus : byte
{
    Created,
    Updated,
    NotFound,
    AlreadyExists,

    /// <summary>The settings broke a rule the store enforces itself (the id's alphabet and length).</summary>
    Invalid,

    /// <summary>The update callback returned null; nothing was written.</summary>
    Rejected,
}
