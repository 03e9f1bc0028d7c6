using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>The one Redis script that counts a rate limit for the whole fleet: it decides and counts in one atomic step.</summary>
/// <remarks>
/// <para>One hash per (key, interval) holds <c>w</c> (the window index), <c>c</c> (requests counted in it) and <c>p</c> (the
/// window before's count). Windows are aligned to the unix epoch as the local limiter's are, but on Redis's clock
/// (<c>TIME</c>), so replicas whose clocks differ still count in one window.</para>
/// <para>The script grants a lease of <c>k</c> requests, counted at once: fixed windows admit while
/// <c>c &lt; limit</c>, so at most <c>limit − c</c> are granted; sliding windows admit request j while
/// <c>(c + j − 1)·I + p·(I − e) &lt; limit·I</c>, so at most <c>⌈(limit·I − p·(I − e) − c·I) / I⌉</c> (exact in a double while
/// limit × interval in ms stays under 2^53, e.g. 10^8 requests per day). Since every admitted request was counted
/// before it was admitted, the fleet never admits more than the limit while Redis answers.</para>
/// <para><c>k</c> is the number of requests waiting on the replica, raised to a quarter of what is left divided among the
/// live replicas, and capped by <see cref="FleetTierOptions.MaxLease"/> and by what is left: a replica leases a lot
/// while the window is empty and one at a time near the limit, which bounds the budget a quiet replica strands.</para>
/// <para>Returns <c>{granted, counted, previous, elapsed ms, interval ms}</c>; granted 0 is a denial.</para>
/// </remarks>
internal static class RateLimitScript
{
    public const string Source = """
        local limit = tonumber(ARGV[1])
        local interval = tonumber(ARGV[2])
        local sliding = ARGV[3] == '1'
        local want = tonumber(ARGV[4])
        local share = tonumber(ARGV[5])
        local cap = tonumber(ARGV[6])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local index = math.floor(now / interval)
        local elapsed = now - index * interval
        local state = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
        local w = tonumber(state[1])
        local c = tonumber(state[2]) or 0
        local p = tonumber(state[3]) or 0
        if w == nil then
          c = 0
          p = 0
        elseif w > index then
          elapsed = 0
          index = w
        elseif w < index then
          if w == index - 1 then p = c else p = 0 end
          c = 0
        end
        local left
        if sliding then
          local slack = limit * interval - p * (interval - elapsed) - c * interval
          if slack > 0 then left = math.ceil(slack / interval) else left = 0 end
        else
          left = limit - c
        end
        if left <= 0 then
          return {0, c, p, elapsed, interval}
        end
        local k = math.max(want, math.floor(left / share))
        k = math.min(k, cap, left)
        c = c + k
        redis.call('HSET', KEYS[1], 'w', index, 'c', c, 'p', p)
        redis.call('PEXPIRE', KEYS[1], interval * 2 + 1000)
        return {k, c, p, elapsed, interval}
        """;

    /// <summary>The script's answer.</summary>
    public readonly record struct Result(int Granted, long Counted, long Previous, long ElapsedMs, long IntervalMs);

    public static Result Read(RedisResult result)
    {
        var values = (RedisResult[])result!;
        return new Result((int)values[0], (long)values[1], (long)values[2], (long)values[3], (long)values[4]);
    }
}
