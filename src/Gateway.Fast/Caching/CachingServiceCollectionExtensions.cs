using Gateway.Fast.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Caching;

/// <summary>Registers the response cache: FASTER under <c>{DataPath}/cache</c>, checkpointed and purged in the background.</summary>
public static class CachingServiceCollectionExtensions
{
    public const string SectionName = "Gateway:Cache";

    public static IServiceCollection AddResponseCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<FasterCacheOptions>(configuration.GetSection(SectionName));
        services.AddSingleton<ICacheStore>(static sp => FasterCacheStore.Open(
            Path.Combine(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath, "cache"),
            sp.GetRequiredService<IOptions<FasterCacheOptions>>().Value));
        services.AddSingleton(static sp => new CacheDiskUsage(
            Path.Combine(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath, "cache"),
            sp.GetRequiredService<IOptions<FasterCacheOptions>>().Value.MaxLogBytes));
        services.AddSingleton<CacheFlights>();
        services.AddHostedService<CacheMaintenanceService>();
        return services;
    }
}
