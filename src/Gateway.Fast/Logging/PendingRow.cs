namespace Gateway.Fast.Logging;

/// <summary>A row in the log but not yet committed: it enters the index and its gateway's rows at the next commit.</summary>
/// <param name="Address">Its Row entry's log address.</param>
/// <param name="Offset">Where its record is in the writer's pending-records buffer.</param>
/// <param name="Length">The record's length.</param>
/// <param name="Rows">Its gateway's rows.</param>
internal readonly record struct PendingRow(long Address, int Offset, int Length, GatewayRows Rows);
