namespace Gateway.Fast.Logging;

/// <summary>A row in the log but not yet committed: it enters the index and its gateway's list at the next commit.</summary>
internal readonly record struct PendingRow(long Address, LogRecord Record, GatewayRows Rows);
