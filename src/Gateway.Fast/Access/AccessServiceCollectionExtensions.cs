using Gateway.Fast.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Access;

/// <summary>Registers gateway tokens, team keys and stored provider keys, all under the data folder.</summary>
public static class AccessServiceCollectionExtensions
{
    /// <summary>Folder under <see cref="GatewayOptions.DataPath"/> holding the access store's FASTER files and checkpoints.</summary>
    public const string AccessFolder = "access";

    /// <summary>Registers the access stores and the proxy's access check; they open when the host starts, so a bad master
    /// key or an unreadable store fails start-up instead of the first request. Needs <c>AddGatewayStorage</c> (the management token).</summary>
    public static IServiceCollection AddGatewayAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new AccessRecordStore(Path.Combine(DataPath(sp), AccessFolder))
        {
            Replicator = sp.GetService<Storage.IConfigReplicator>(), // fleet mode only
        });
        services.TryAddSingleton(static sp => MasterKey.Resolve(sp.GetRequiredService<IConfiguration>()[MasterKey.ConfigurationKey], DataPath(sp)));
        services.TryAddSingleton<GatewayTokenStore>();
        services.TryAddSingleton<TeamKeyStore>();
        services.TryAddSingleton<ProviderKeyStore>();
        services.TryAddSingleton<GatewayAccess>();
        services.AddHostedService<AccessStartup>();
        return services;
    }

    private static string DataPath(IServiceProvider sp) => sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath;

    /// <summary>Opens every access store at host start (constructor injection does the work).</summary>
    private sealed class AccessStartup(GatewayTokenStore tokens, TeamKeyStore teamKeys, ProviderKeyStore providerKeys) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(tokens);
            GC.KeepAlive(teamKeys);
            GC.KeepAlive(providerKeys);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
