using Gateway.Fast.Configuration;
using Gateway.Fast.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Storage;

/// <summary>Registers the stores under the data folder.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Folder under <see cref="GatewayOptions.DataPath"/> holding the gateway store's FASTER files and checkpoints.</summary>
    public const string GatewaysFolder = "gateways";

    /// <summary>Registers <see cref="FasterGatewayStore"/> (also as <see cref="IGatewayStore"/>) and the management token verifier,
    /// both opened at host start so the first-start token is printed before requests arrive.</summary>
    public static IServiceCollection AddGatewayStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<GatewayOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp =>
        {
            var store = FasterGatewayStore.Open(
                Path.Combine(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath, GatewaysFolder),
                sp.GetRequiredService<TimeProvider>());
            store.Replicator = sp.GetService<IConfigReplicator>(); // fleet mode only
            return store;
        });
        services.TryAddSingleton<IGatewayStore>(static sp => sp.GetRequiredService<FasterGatewayStore>());
        services.TryAddSingleton(static sp => ManagementTokenVerifier.Create(
            sp.GetRequiredService<IConfiguration>()[ManagementTokenVerifier.ConfigurationKey],
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataPath,
            Console.Out));
        services.AddHostedService<StorageStartup>();
        return services;
    }
}
