using Gateway.Fast.Caching;
using Gateway.Fast.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Fast.Fleet;

/// <summary>In fleet mode, puts rate limits and the response cache on Redis: <see cref="FleetRateLimiter"/> replaces the local
/// limiter and <see cref="SharedCacheStore"/> wraps the local cache store. Without <c>REDIS_URL</c> it registers nothing.</summary>
public static class FleetTierServiceCollectionExtensions
{
    /// <summary>Call after the local limiter, the cache and <see cref="FleetServiceCollectionExtensions.AddGatewayFleet"/> are registered.</summary>
    public static IServiceCollection AddFleetLimitsAndCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (FleetServiceCollectionExtensions.ConfiguredUrl(configuration) is null)
        {
            return services;
        }

        var options = new FleetTierOptions();
        configuration.GetSection(FleetTierOptions.RateLimitSection).Bind(options);
        configuration.GetSection(FleetTierOptions.CacheSection).Bind(options);
        services.AddSingleton(options);

        services.AddSingleton<LiveReplicas>();
        services.AddHostedService(static sp => sp.GetRequiredService<LiveReplicas>());
        services.Replace(ServiceDescriptor.Singleton<IRateLimiter, FleetRateLimiter>());

        // Wrap whatever local store is registered: the shared tier adds Redis behind it and changes nothing else.
        var local = services.LastOrDefault(d => d.ServiceType == typeof(ICacheStore))
            ?? throw new InvalidOperationException("Register the response cache before the fleet's shared tier.");
        services.AddSingleton(sp => new SharedCacheStore(Resolve(sp, local), sp.GetRequiredService<RedisConnection>(), options,
            sp.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<ICacheStore>(static sp => sp.GetRequiredService<SharedCacheStore>()));
        services.AddHostedService<CacheGenerationSync>();
        return services;
    }

    private static ICacheStore Resolve(IServiceProvider sp, ServiceDescriptor local)
        => local.ImplementationInstance as ICacheStore
            ?? (ICacheStore?)local.ImplementationFactory?.Invoke(sp)
            ?? (ICacheStore)ActivatorUtilities.CreateInstance(sp, local.ImplementationType!);
}
