using Gateway.Fast.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

public sealed partial class FleetRateLimiter
{
    /// <summary>What Redis last answered for one key: requests this replica may admit without asking again, or a denial.</summary>
    /// <remarks>Replaced whole by each answer (one reference swap), so a reader never mixes two answers; only
    /// <see cref="Tokens"/> changes afterwards, and only downwards.</remarks>
    private sealed class Grant(RateLimitPolicy policy, int tokens, long validUntil, long deniedUntil)
    {
        public readonly RateLimitPolicy Policy = policy;

        /// <summary>Requests left; zero or below once spent (racing takers each decrement once; a grant replaced by a refill is
        /// set far below zero after its tokens moved to the new one).</summary>
        public int Tokens = tokens;

        /// <summary>The timestamp at which the window these tokens were counted in ends, as seen from this replica.</summary>
        public readonly long ValidUntil = validUntil;

        /// <summary>Until this timestamp Redis would deny too (0 when this grant is not a denial).</summary>
        public readonly long DeniedUntil = deniedUntil;
    }

    /// <summary>One key's state on this replica: its current grant and the Redis call that refills it, shared by the requests that wait.</summary>
    private sealed class Lease(RateLimitKey key)
    {
        public readonly RateLimitKey Key = key;

        public Grant? Current;

        /// <summary>Requests waiting for a refill: the script leases at least this many.</summary>
        public int Waiting;

        /// <summary>The refill in flight, if any; guarded by locking the lease.</summary>
        public Task<bool>? Refill;

        private int _redisInterval;
        private RedisKey _redisKey;

        /// <summary>The hash that counts this key in Redis: one per interval, so an edited interval starts afresh.</summary>
        public RedisKey RedisKey(int intervalSeconds)
        {
            if (_redisInterval != intervalSeconds)
            {
                // Lengths before the ids: a ':' inside a caller key cannot make two keys one.
                var sub = Key.SubId ?? string.Empty;
                _redisKey = $"limit:{(byte)Key.Scope}:{intervalSeconds}:{Key.GatewayId.Length}:{Key.GatewayId}:{sub}";
                _redisInterval = intervalSeconds;
            }

            return _redisKey;
        }

        /// <summary>Idle: no tokens worth keeping, no denial standing, nobody waiting.</summary>
        public bool IsIdle(long now)
        {
            var grant = Volatile.Read(ref Current);
            return Volatile.Read(ref Waiting) == 0 && Volatile.Read(ref Refill) is null
                && (grant is null || (now >= grant.ValidUntil && now >= grant.DeniedUntil));
        }
    }
}
