namespace Gateway.Fast.Fleet;

/// <summary>The <c>config</c> part of <c>/health</c>'s redis section: where this replica's gateways and keys come from now.</summary>
/// <param name="Source"><c>redis</c> when the local copy matches the fleet's last known version; <c>local_copy</c> while Redis is
/// unreachable (or not yet read since start): the replica serves its last copy, and configuration changes are refused.</param>
/// <param name="Version">The fleet's configuration version this copy reflects (0 before the first read).</param>
/// <param name="SyncedAt">When the copy was last checked against Redis.</param>
/// <param name="MasterKey"><c>matches</c>, <c>differs</c> (this replica cannot open provider keys stored by the others) or <c>unknown</c>.</param>
/// <param name="SkippedRecords">Records of the fleet this replica could not apply (provider keys sealed with another master key).</param>
public sealed record ConfigSyncHealth(string Source, long Version, DateTimeOffset? SyncedAt, string MasterKey, int SkippedRecords);
