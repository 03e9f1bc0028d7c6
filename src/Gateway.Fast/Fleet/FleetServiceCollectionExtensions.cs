using Gateway.Fast.Access;
using Gateway.Fast.Configuration;
using Gateway.Fast.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Fleet;

/// <summary>Registers fleet mode when <c>REDIS_URL</c> (or <c>Gateway:Redis:Url</c>) is set; otherwise registers nothing, so a
/// single node resolves no Redis type at all (<c>GetService&lt;RedisConnection&gt;()</c> is null).</summary>
public static class FleetServiceCollectionExtensions
{
    /// <summary>The URL fleet mode connects to, or null for a single node.</summary>
    public static string? ConfiguredUrl(IConfiguration configuration)
    {
        var url = configuration[RedisOptions.UrlVariable];
        if (string.IsNullOrWhiteSpace(url))
        {
            url = configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.Url)}"];
        }

        return string.IsNullOrWhiteSpace(url) ? null : url;
    }

    /// <summary>Registers <see cref="RedisConnection"/> and its start-up; returns false (nothing registered) without a URL.</summary>
    /// <exception cref="InvalidOperationException">The URL is malformed: start-up fails with the reason (never the URL itself).</exception>
    public static bool AddGatewayFleet(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        if (ConfiguredUrl(configuration) is not { } text)
        {
            return false;
        }

        if (!RedisUrl.TryParse(text, out var url, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var options = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new RedisConnection(url, options,
            ReplicaIdentity.Resolve(options.ReplicaId, sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddHostedService<FleetStartup>();

        // Gateways and access records: Redis is their source of truth, each store its local copy.
        services.AddSingleton<IConfigReplicator>(static sp => new ConfigReplicator(sp.GetRequiredService<RedisConnection>()));
        services.AddSingleton(static sp => new ConfigSyncService(
            sp.GetRequiredService<RedisConnection>(),
            [
                sp.GetRequiredService<FasterGatewayStore>(), sp.GetRequiredService<GatewayTokenStore>(),
                sp.GetRequiredService<TeamKeyStore>(), sp.GetRequiredService<ProviderKeyStore>(),
            ],
            sp.GetRequiredService<MasterKey>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConfigSyncService>>()));
        services.AddHostedService(static sp => sp.GetRequiredService<ConfigSyncService>());

        // Membership: id, internal address and heartbeat, for queries that fan out to every live replica.
        services.AddSingleton<ReplicaRegistry>();
        services.AddHostedService(static sp => sp.GetRequiredService<ReplicaRegistry>());

        // The logs API and analytics fan out to those replicas.
        services.AddFleetQueries(configuration);
        return true;
    }

    /// <summary>The <c>redis</c> section of <c>/health</c>, or null on a single node.</summary>
    public static RedisHealth? Health(IServiceProvider services)
        => services.GetService<RedisConnection>()?.Health() is { } health
            ? health with { Config = services.GetService<ConfigSyncService>()?.Health() }
            : null;

    /// <summary>Connects at host start (bounded by the connect timeout); the container closes the connection after every
    /// hosted service has stopped, so the services that use it can still write while they stop.</summary>
    private sealed class FleetStartup(RedisConnection connection) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => connection.ConnectAsync();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
