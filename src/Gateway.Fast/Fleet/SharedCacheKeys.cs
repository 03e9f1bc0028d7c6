using Gateway.Fast.Caching;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>Where the shared cache tier keeps things in Redis (all under the connection's key prefix).</summary>
internal static class SharedCacheKeys
{
    /// <summary>Hash: gateway id → its cache generation, the fleet's purge counter.</summary>
    public const string Generations = "cache:generations";

    /// <summary>Counter raised by every purge: a replica that sees it move re-reads <see cref="Generations"/>.</summary>
    public const string GenerationsVersion = "cache:generations:version";

    /// <summary>Pub/sub channel of purges: <c>{gateway id}\n{generation}</c>.</summary>
    public const string PurgeChannel = "cache:purge";

    /// <summary>Raises a gateway's generation past both the fleet's and the purging replica's, counts the change and
    /// announces it, atomically; returns the new generation.</summary>
    public const string PurgeScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
        local g = math.max(current + 1, tonumber(ARGV[2]))
        redis.call('HSET', KEYS[1], ARGV[1], g)
        redis.call('INCR', KEYS[2])
        redis.call('PUBLISH', ARGV[3], ARGV[1] .. '\n' .. g)
        return g
        """;

    /// <summary><c>cache:entry:</c> and the 32 bytes of the key (binary: Redis keys are byte strings).</summary>
    public static RedisKey Entry(in CacheKey key)
    {
        var bytes = new byte[EntryPrefix.Length + CacheKey.Size];
        EntryPrefix.CopyTo(bytes);
        key.CopyTo(bytes.AsSpan(EntryPrefix.Length));
        return bytes;
    }

    private static ReadOnlySpan<byte> EntryPrefix => "cache:entry:"u8;
}
