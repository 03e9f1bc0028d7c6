namespace Gateway.Fast.Storage;

/// <summary>A configuration change was refused because the fleet's shared store (Redis) cannot be reached: while it is down a
/// replica serves its local copy read-only. The management API answers 503 with <see cref="Exception.Message"/>.</summary>
public sealed class ConfigUnavailableException : Exception
{
    public const string DefaultMessage =
        "Configuration is read-only while this replica cannot reach Redis, the fleet's source of truth; retry once /health shows redis up.";

    public ConfigUnavailableException()
        : base(DefaultMessage)
    {
    }

    public ConfigUnavailableException(string message)
        : base(message)
    {
    }

    public ConfigUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
