namespace Gateway.Fast.Fleet;

/// <summary>Fleet mode's Redis settings, bound from <c>Gateway:Redis</c>; <c>REDIS_URL</c> sets <see cref="Url"/> and wins over it.</summary>
/// <remarks>Without a URL the gateway is a single node and none of this is read.</remarks>
public sealed class RedisOptions
{
    public const string SectionName = "Gateway:Redis";

    /// <summary>The environment variable (and top-level configuration key) that turns fleet mode on.</summary>
    public const string UrlVariable = "REDIS_URL";

    /// <summary><c>redis://[user[:password]@]host[:port][/database]</c>, or <c>rediss://</c> for TLS.</summary>
    public string? Url { get; set; }

    /// <summary>Replaces the URL's user (ACL user name), so the URL itself may stay free of secrets.</summary>
    public string? User { get; set; }

    /// <summary>Replaces the URL's password.</summary>
    public string? Password { get; set; }

    /// <summary>Replaces the URL's database index.</summary>
    public int? Database { get; set; }

    /// <summary>Time allowed to (re)connect. Start-up waits at most this long for a Redis that is down, then serves from its local copy.</summary>
    public int ConnectTimeoutMs { get; set; } = 2000;

    /// <summary>Time allowed to one command. Short on purpose: a caller that gets no answer in time falls back to local state.</summary>
    public int OperationTimeoutMs { get; set; } = 250;

    /// <summary>Failures in a row (timeouts, refused commands) that open the circuit breaker.</summary>
    public int BreakerFailures { get; set; } = 3;

    /// <summary>How long an open breaker keeps callers off Redis before one call probes it again.</summary>
    public int BreakerOpenMs { get; set; } = 2000;

    /// <summary>Prefix of every key and channel the gateway writes, so one Redis can serve several fleets (or other software).</summary>
    public string KeyPrefix { get; set; } = "gateway:";

    /// <summary>This replica's id; by default generated once and kept in <c>{DataPath}/replica-id</c>.</summary>
    public string? ReplicaId { get; set; }

    /// <summary>The base URL other replicas reach this one at (its internal address); by default the first address it
    /// listens on, a wildcard host replaced by the machine name.</summary>
    public string? ReplicaAddress { get; set; }
}
