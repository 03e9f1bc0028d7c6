using Gateway.Fast.Caching;
using Gateway.Fast.Logging;
using Gateway.Fast.Metrics;

namespace Gateway.Fast.Hosting;

/// <summary>The stores' disk use against their budgets: the <c>logs</c> and <c>cache</c> sections of <c>/health</c> and the storage gauges.</summary>
internal static class StorageHealth
{
    public static LogsHealth Logs(FasterLogStore store)
    {
        var status = store.StorageStatus();
        return new LogsHealth(status.UsedBytes, status.BudgetBytes, status.WarningBytes, status.Rows, status.Warning, status.OverBudget);
    }

    public static CacheHealth Cache(CacheDiskUsage cache) => new(cache.Measure(), cache.BudgetBytes);

    /// <summary>Registers the gauges, sampled at each scrape.</summary>
    public static void Track(GatewayMetrics metrics, FasterLogStore logs, CacheDiskUsage cache)
    {
        metrics.TrackStorage("logs", () =>
        {
            var status = logs.StorageStatus();
            return (status.UsedBytes, status.BudgetBytes ?? 0);
        });
        metrics.TrackStorage("cache", () => (cache.Measure(), cache.BudgetBytes));
        metrics.TrackLogRows(() => logs.Rows);
    }
}

/// <summary>The request-log folder in <c>/health</c>.</summary>
/// <param name="BytesUsed">Bytes of every file under <c>{DataPath}/logs</c>.</param>
/// <param name="BudgetBytes"><c>Gateway:Logs:MaxDiskBytes</c>; null when the folder has no budget.</param>
/// <param name="WarningAtBytes">The size from which <paramref name="Warning"/> is true (80 % of the budget by default).</param>
/// <param name="Rows">Log rows kept, all gateways together.</param>
/// <param name="Warning">The folder is nearly full: retention deletes the oldest rows once it passes the budget.</param>
/// <param name="OverBudget">Retention could not bring the folder under its budget.</param>
public sealed record LogsHealth(long BytesUsed, long? BudgetBytes, long? WarningAtBytes, long Rows, bool Warning, bool OverBudget);

/// <summary>The response-cache folder in <c>/health</c>.</summary>
/// <param name="BytesUsed">Bytes of every file under <c>{DataPath}/cache</c> (its log and checkpoints).</param>
/// <param name="BudgetBytes"><c>Gateway:Cache:MaxLogBytes</c>, the budget of the cache's log.</param>
public sealed record CacheHealth(long BytesUsed, long BudgetBytes);
