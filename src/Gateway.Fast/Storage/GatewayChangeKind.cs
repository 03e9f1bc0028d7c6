namespace Gateway.Fast.Storage;

/// <summary>Which kind of mutation a <see cref="GatewayChange"/> reports.</summary>
public enum GatewayChangeKind : byte
{
    Created,
    Updated,
    Deleted,
}
