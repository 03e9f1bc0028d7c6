using Gateway.Fast.Storage;

namespace Gateway.Fast.Caching;

/// <summary>The cache folder's size on disk beside its log's budget (<see cref="FasterCacheOptions.MaxLogBytes"/>), for <c>/health</c> and the metrics.</summary>
/// <remarks>The budget bounds the cache's hybrid log; the folder also holds its checkpoints (the hash index and log
/// metadata), so it may read somewhat above the budget.</remarks>
public sealed class CacheDiskUsage(string directory, long budgetBytes)
{
    public long BudgetBytes { get; } = budgetBytes;

    /// <summary>Bytes of every file under the cache folder, measured now.</summary>
    public long Measure() => DiskUsage.Measure(directory);
}
