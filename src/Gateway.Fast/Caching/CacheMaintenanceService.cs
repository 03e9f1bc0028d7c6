using Gateway.Fast.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Caching;

/// <summary>
/// Checkpoints the cache every 30 s and at shutdown (a <c>kill -9</c> loses at most that interval of entries, docs/design.md#where-state-lives),
/// and purges a gateway's entries when it is deleted or, with <c>cache_invalidate_on_update</c>, updated (docs/gateway-api.md#caching).
/// </summary>
internal sealed partial class CacheMaintenanceService : BackgroundService
{
    private static readonly TimeSpan CheckpointPeriod = TimeSpan.FromSeconds(30);
    private readonly ICacheStore _cache;
    private readonly IGatewayStore _gateways;
    private readonly TimeProvider _time;
    private readonly ILogger<CacheMaintenanceService> _logger;

    public CacheMaintenanceService(ICacheStore cache, IGatewayStore gateways, TimeProvider time, ILogger<CacheMaintenanceService> logger)
    {
        _cache = cache;
        _gateways = gateways;
        _time = time;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _gateways.Changed += OnGatewayChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _gateways.Changed -= OnGatewayChanged;
        await base.StopAsync(cancellationToken);
        await CheckpointAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckpointPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Runs under the gateway store's write lock: hand the purge off, never throw.
    private void OnGatewayChanged(GatewayChange change)
    {
        bool purge = change.Kind == GatewayChangeKind.Deleted
            || (change.Kind == GatewayChangeKind.Updated && change.Current!.CacheInvalidateOnUpdate);
        if (purge)
        {
            _ = PurgeAsync(change.Id);
        }
    }

    private async Task PurgeAsync(string gatewayId)
    {
        try
        {
            await _cache.PurgeGatewayAsync(gatewayId);
        }
        catch (Exception ex)
        {
            Log.PurgeFailed(_logger, gatewayId, ex);
        }
    }

    private async Task CheckpointAsync()
    {
        try
        {
            long started = _time.GetTimestamp();
            await _cache.CheckpointAsync();
            Log.Checkpointed(_logger, _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            Log.CheckpointFailed(_logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Cache purge for gateway {GatewayId} failed")]
        public static partial void PurgeFailed(ILogger logger, string gatewayId, Exception exception);

        [LoggerMessage(2, LogLevel.Error, "Cache checkpoint failed")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception);

        // Debug: a trace of a stall lines background work up with it (loadtests/soak.sh TRACE=1).
        [LoggerMessage(3, LogLevel.Debug, "Cache checkpoint took {Milliseconds:F1} ms")]
        public static partial void Checkpointed(ILogger logger, double milliseconds);
    }
}
