using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Storage;

/// <summary>Registers the stores under the data folder.</summary>
public static class StorageServiceCollectionExtensions
{
    // TEMPORARY: replaced by the FASTER-backed store in the storage work.
    public static IServiceCollection AddGatewayStorage(this IServiceCollection services) => services;
}
