using Gateway.Fast.Caching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Fast.Fleet;

/// <summary>Applies the fleet's cache purges on this replica: a purge (or <c>cache_invalidate_on_update</c>) on any replica
/// makes the gateway's entries unreachable here too.</summary>
/// <remarks>
/// A purge is announced on <see cref="SharedCacheKeys.PurgeChannel"/> and applied here within milliseconds. A message
/// missed (this replica was cut off, or started later) is repaired by comparing the generations' version counter
/// every few seconds and on each reconnection, and re-reading every generation when it moved. Generations only rise
/// (a replica takes the larger of its own and the fleet's), so replicas converge whatever the order of messages.
/// </remarks>
public sealed partial class CacheGenerationSync : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly RedisConnection _redis;
    private readonly SharedCacheStore _cache;
    private readonly ILogger<CacheGenerationSync> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _seenVersion = -1;
    private int _subscribed;

    public CacheGenerationSync(RedisConnection redis, SharedCacheStore cache, ILogger<CacheGenerationSync> logger)
    {
        _redis = redis;
        _cache = cache;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _redis.Connected += Wake;
        try
        {
            await _redis.Started.WaitAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RepairAsync().ConfigureAwait(false);
                await _wake.WaitAsync(Period, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _redis.Connected -= Wake;
        }
    }

    private void Wake()
    {
        Volatile.Write(ref _seenVersion, -1); // messages may have been lost: re-read every generation
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    /// <summary>Subscribes (once), announces purges made offline, and re-reads the generations when their version moved.</summary>
    private async Task RepairAsync()
    {
        if (!_redis.TryGetDatabase(out var db))
        {
            return;
        }

        try
        {
            if (Volatile.Read(ref _subscribed) == 0 && _redis.Subscriber is { } subscriber)
            {
                await subscriber.SubscribeAsync(RedisConnection.Channel(SharedCacheKeys.PurgeChannel), OnPurge).ConfigureAwait(false);
                Volatile.Write(ref _subscribed, 1); // subscriptions survive reconnections
            }

            await _cache.AnnounceOfflinePurgesAsync().ConfigureAwait(false);
            long version = (long?)await db.StringGetAsync(SharedCacheKeys.GenerationsVersion).ConfigureAwait(false) ?? 0;
            if (version != Volatile.Read(ref _seenVersion))
            {
                foreach (var entry in await db.HashGetAllAsync(SharedCacheKeys.Generations).ConfigureAwait(false))
                {
                    if ((string?)entry.Name is { Length: > 0 } gatewayId && entry.Value.TryParse(out long generation))
                    {
                        await ApplyAsync(gatewayId, generation).ConfigureAwait(false);
                    }
                }

                Volatile.Write(ref _seenVersion, version);
            }

            _redis.ReportSuccess();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.ReportFailure(e);
        }
    }

    private void OnPurge(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message;
        int newline = text?.LastIndexOf('\n') ?? -1;
        if (newline > 0 && long.TryParse(text.AsSpan(newline + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out long generation))
        {
            _ = ApplyAsync(text![..newline], generation);
        }
    }

    private async Task ApplyAsync(string gatewayId, long generation)
    {
        try
        {
            if (await _cache.RaiseGenerationAsync(gatewayId, generation).ConfigureAwait(false))
            {
                Log.Purged(_logger, gatewayId, generation);
            }
        }
        catch (Exception e)
        {
            Log.ApplyFailed(_logger, gatewayId, e);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Fleet cache: gateway {GatewayId}'s entries were purged by another replica (generation {Generation}).")]
        public static partial void Purged(ILogger logger, string gatewayId, long generation);

        [LoggerMessage(2, LogLevel.Error, "Fleet cache: applying a purge of gateway {GatewayId} failed.")]
        public static partial void ApplyFailed(ILogger logger, string gatewayId, Exception exception);
    }
}
