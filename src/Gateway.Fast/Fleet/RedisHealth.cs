namespace Gateway.Fast.Fleet;

/// <summary>The <c>redis</c> section of <c>/health</c> in fleet mode (absent on a single node).</summary>
/// <param name="Url">Where Redis is, without credentials.</param>
/// <param name="Replica">This replica's id.</param>
/// <param name="Up">Connected, and the circuit breaker closed.</param>
/// <param name="Breaker"><c>closed</c>, <c>open</c> (callers skip Redis) or <c>half_open</c> (one call probes it).</param>
/// <param name="Errors">Failed calls and lost connections since start, by kind.</param>
/// <param name="DownSince">When the current outage began; null while connected.</param>
/// <param name="Config">Where the replica's gateways and keys come from now.</param>
public sealed record RedisHealth(string Url, string Replica, bool Up, string Breaker, Dictionary<string, long> Errors, DateTimeOffset? DownSince,
    ConfigSyncHealth? Config = null);
