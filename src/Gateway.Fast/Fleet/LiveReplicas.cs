using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>How many replicas are alive, from heartbeats in one Redis sorted set: what a limit is divided by while Redis
/// is down (each replica then counts alone), and what the limiter spreads its leases over.</summary>
/// <remarks>
/// Each replica writes its id with the time every <see cref="FleetTierOptions.HeartbeatSeconds"/>; members silent for
/// three periods are dropped, and the rest are counted, all in one script. The last count is kept while Redis is down,
/// since that is when it is needed; before the first heartbeat it is 1 (the replica knows of no other). A replica that
/// stops removes itself.
/// </remarks>
public sealed class LiveReplicas : BackgroundService
{
    private const string Key = "replicas:live";

    private const string HeartbeatScript = """
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[3])
        return redis.call('ZCARD', KEYS[1])
        """;

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private int _count = 1;

    public LiveReplicas(RedisConnection redis, FleetTierOptions options, TimeProvider time)
    {
        _redis = redis;
        _time = time;
        _period = TimeSpan.FromSeconds(Math.Max(1, options.HeartbeatSeconds));
    }

    /// <summary>Replicas alive at the last heartbeat, this one included; at least 1.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Writes this replica's heartbeat and reads the count; false when Redis could not be asked.</summary>
    public async Task<bool> BeatAsync()
    {
        if (!_redis.TryGetDatabase(out var db))
        {
            return false;
        }

        try
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var count = (long)await db.ScriptEvaluateAsync(HeartbeatScript, [Key],
                [now, _redis.ReplicaId, (long)(3 * _period.TotalMilliseconds)]).ConfigureAwait(false);
            _redis.ReportSuccess();
            Volatile.Write(ref _count, (int)Math.Clamp(count, 1, int.MaxValue));
            return true;
        }
        catch (Exception e)
        {
            _redis.ReportFailure(e);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _redis.Started.WaitAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(_period, _time);
        try
        {
            do
            {
                await BeatAsync().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_redis.TryGetDatabase(out var db))
        {
            try
            {
                await db.SortedSetRemoveAsync(Key, _redis.ReplicaId).ConfigureAwait(false);
                _redis.ReportSuccess();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _redis.ReportFailure(e); // it drops out after three periods anyway
            }
        }
    }
}
