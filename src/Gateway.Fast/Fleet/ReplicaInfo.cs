namespace Gateway.Fast.Fleet;

/// <summary>One live replica of the fleet, as registered in Redis.</summary>
/// <param name="Id">Its replica id.</param>
/// <param name="Address">Its internal base URL (<c>Gateway:Redis:ReplicaAddress</c>, else what it listens on), where other
/// replicas reach its management API.</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="HeartbeatAt">Its last heartbeat, by Redis's clock (replicas' clocks may disagree).</param>
public sealed record ReplicaInfo(string Id, string Address, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);
