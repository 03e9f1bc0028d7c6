using Gateway.Fast.Configuration;
using Gateway.Fast.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Logging;

/// <summary>Configuration of the request-log store (<c>Gateway:Logs</c>).</summary>
public sealed class RequestLogOptions
{
    /// <summary>Rows waiting for the writer before callers wait for room (back-pressure; rows are never dropped).</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>
    /// Rows built after their response has ended, at most at once (each holds its request's buffers until its row is
    /// queued); past it a request builds and queues its own row before it ends. 0: 64 per processor.
    /// </summary>
    public int MaxDeferredRows { get; set; }

    /// <summary>How often the writer commits to disk; rows become readable after their commit.</summary>
    public int CommitIntervalMs { get; set; } = 100;

    /// <summary>Rows older than this are deleted by the retention sweep; 0 keeps them until deleted (our addition, docs/gateway-api.md#logging).</summary>
    public int MaxAgeDays { get; set; }

    /// <summary>See <see cref="FasterLogStoreOptions.PageSizeBits"/>; a log folder keeps the page size it was created with.</summary>
    public int PageSizeBits { get; set; } = new FasterLogStoreOptions().PageSizeBits;

    /// <summary>See <see cref="FasterLogStoreOptions.MemorySizeBits"/>.</summary>
    public int MemorySizeBits { get; set; } = new FasterLogStoreOptions().MemorySizeBits;

    /// <summary>Size of one log file (a power of two); the disk budget frees one at a time, so keep it well under the budget.</summary>
    public int SegmentSizeBits { get; set; } = 28;

    /// <summary>Rows kept per gateway whose <c>log_management</c> is not set, the oldest deleted first; 0 keeps every row.</summary>
    public int DefaultMaxRowsPerGateway { get; set; } = FasterLogStoreOptions.DefaultRowCap;

    /// <summary>Disk budget of the whole <c>{DataPath}/logs</c> folder; over it, the sweep deletes the oldest rows of every
    /// gateway until it fits. 0 for none.</summary>
    public long MaxDiskBytes { get; set; } = FasterLogStoreOptions.DefaultDiskBudget;

    /// <summary>Share of <see cref="MaxDiskBytes"/>, in percent, from which <c>/health</c> warns.</summary>
    public int DiskWarningPercent { get; set; } = 80;

    /// <summary>How often the retention sweep (age, caps, disk budget) runs; the folder may pass its budget by what is
    /// written in one interval.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>How often the store checkpoints its index, metadata and analytics (and at shutdown): an open replays the log
    /// written since the last one, about 10 s a million rows on 2 cores, so a minute of traffic is replayed in under a
    /// second. 0 checkpoints only at shutdown.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 60;

    /// <summary>Memory budget of the rows' metadata (<c>logs/meta/</c>, <see cref="FasterLogStoreOptions.MetadataMemorySizeBits"/>);
    /// older rows' metadata is read from disk.</summary>
    public int MetadataMemorySizeBits { get; set; } = new FasterLogStoreOptions().MetadataMemorySizeBits;

    /// <summary>Memory budget of the analytics sums kept per minute and hour (<see cref="FasterLogStoreOptions.RollupMemorySizeBits"/>).</summary>
    public int RollupMemorySizeBits { get; set; } = 22;

    /// <summary>The id index's hash table (2^20 = 1 MiB, 114k rows before FASTER adds ~9 B a row of overflow buckets).</summary>
    public int IndexSizeBits { get; set; } = 20;

    /// <summary>Memory budget of the id index's records (2^25 = 32 MiB); older ones are read from disk.</summary>
    public int IndexMemorySizeBits { get; set; } = 25;
}

/// <summary>Registers the request-log store under <c>{DataPath}/logs</c> with each gateway's <c>log_management</c> limits.</summary>
public static class LoggingServiceCollectionExtensions
{
    public const string SectionName = "Gateway:Logs";

    public static IServiceCollection AddRequestLogs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RequestLogOptions>(configuration.GetSection(SectionName));
        services.AddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<RequestLogOptions>>().Value;
            var gateways = sp.GetRequiredService<IGatewayStore>();
            return FasterLogStore.Open(
                Path.Combine(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath, "logs"),
                new FasterLogStoreOptions
                {
                    QueueCapacity = options.QueueCapacity,
                    CommitIntervalMs = options.CommitIntervalMs,
                    PageSizeBits = options.PageSizeBits,
                    MemorySizeBits = options.MemorySizeBits,
                    SegmentSizeBits = options.SegmentSizeBits,
                    MetadataMemorySizeBits = options.MetadataMemorySizeBits,
                    RollupMemorySizeBits = options.RollupMemorySizeBits,
                    IndexSizeBits = options.IndexSizeBits,
                    IndexMemorySizeBits = options.IndexMemorySizeBits,
                    MaxAge = options.MaxAgeDays > 0 ? TimeSpan.FromDays(options.MaxAgeDays) : null,
                    DefaultMaxRowsPerGateway = options.DefaultMaxRowsPerGateway > 0 ? options.DefaultMaxRowsPerGateway : null,
                    MaxDiskBytes = options.MaxDiskBytes > 0 ? options.MaxDiskBytes : null,
                    DiskWarningRatio = Math.Clamp(options.DiskWarningPercent, 1, 100) / 100.0,
                    // Called per row by the writer: a snapshot lookup, no I/O.
                    Retention = id => gateways.TryGet(id, out var settings)
                        ? new LogRetention(settings.LogManagement, settings.LogManagementStrategy == LogManagementStrategy.DeleteOldest)
                        : LogRetention.Unlimited,
                });
        });
        services.AddSingleton<ILogStore>(static sp => sp.GetRequiredService<FasterLogStore>());
        services.AddHostedService<LogMaintenanceService>();
        return services;
    }
}
