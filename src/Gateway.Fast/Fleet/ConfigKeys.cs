namespace Gateway.Fast.Fleet;

/// <summary>Where the fleet's configuration lives in Redis (names without <see cref="RedisOptions.KeyPrefix"/>, which the
/// connection adds), and the scripts that change it atomically.</summary>
/// <remarks>
/// <code>
/// config:records       hash   gateway:{id} | gwtoken:{id} | teamkey:{id} | provcfg:{id}  →  the record's JSON
/// config:version       int    +1 on every change (a replica whose copy is older re-reads the hash)
/// config:master-key    string HMAC of a fixed text under the fleet's master key (never the key)
/// channel config              the new version, published by every change
/// </code>
/// One hash keeps a read of the whole configuration one command, and the version read with it in the same script
/// says exactly which change the copy reflects. Records number in the hundreds, so re-reading all of them on a
/// change is cheaper to get right than a change log.
/// </remarks>
internal static class ConfigKeys
{
    public const string Records = "config:records";
    public const string Version = "config:version";
    public const string MasterKeyCheck = "config:master-key";
    public const string Channel = "config";

    /// <summary>KEYS: records, version. ARGV: field, value, delete ('1' or '0'), channel (with its prefix: scripts publish raw names).
    /// Writes or deletes one record, bumps the version and publishes it, in one step.</summary>
    public const string WriteScript = """
        if ARGV[3] == '1' then
          redis.call('HDEL', KEYS[1], ARGV[1])
        else
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        local version = redis.call('INCR', KEYS[2])
        redis.call('PUBLISH', ARGV[4], version)
        return version
        """;

    /// <summary>KEYS: version, records. Returns {version or false, the hash as field, value, …}: the copy and its version together.</summary>
    public const string ReadScript = """
        return { redis.call('GET', KEYS[1]), redis.call('HGETALL', KEYS[2]) }
        """;

    /// <summary>KEYS: records, version. ARGV: field, value, field, value, … . Seeds an empty fleet with one replica's records;
    /// returns 0 (and writes nothing) when the fleet already has a configuration, else the new version.</summary>
    public const string SeedScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then
          return 0
        end
        for i = 1, #ARGV, 2 do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        return redis.call('INCR', KEYS[2])
        """;
}
