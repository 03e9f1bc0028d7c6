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

    /// <summary>How often the writer commits to disk; rows become readable after their commit.</summary>
    public int CommitIntervalMs { get; set; } = 100;

    /// <summary>Rows older than this are deleted by the retention sweep; 0 keeps them until deleted (our addition, docs/gateway-api.md#logging).</summary>
    public int MaxAgeDays { get; set; }

    /// <summary>See <see cref="FasterLogStoreOptions.PageSizeBits"/>; a log folder keeps the page size it was created with.</summary>
    public int PageSizeBits { get; set; } = new FasterLogStoreOptions().PageSizeBits;

    /// <summary>See <see cref="FasterLogStoreOptions.MemorySizeBits"/>.</summary>
    public int MemorySizeBits { get; set; } = new FasterLogStoreOptions().MemorySizeBits;
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
                    MaxAge = options.MaxAgeDays > 0 ? TimeSpan.FromDays(options.MaxAgeDays) : null,
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
