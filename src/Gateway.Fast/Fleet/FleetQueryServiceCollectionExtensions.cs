using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Fleet;

/// <summary>Registers what the logs API and analytics need to answer for every replica: <see cref="FleetPeers"/> and its options.</summary>
public static class FleetQueryServiceCollectionExtensions
{
    /// <summary>Call from fleet mode's registration only: on one node <see cref="FleetPeers"/> stays unregistered and the
    /// single node's logs routes are mapped.</summary>
    public static IServiceCollection AddFleetQueries(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(RedisOptions.SectionName).Get<FleetQueryOptions>() ?? new FleetQueryOptions();
        services.AddSingleton(options);
        services.AddSingleton<FleetPeers>();
        return services;
    }
}
