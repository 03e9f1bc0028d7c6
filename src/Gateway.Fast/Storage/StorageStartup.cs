using Gateway.Fast.Access;
using Microsoft.Extensions.Hosting;

namespace Gateway.Fast.Storage;

/// <summary>Opens the gateway store and resolves the management token when the host starts, not on the first request:
/// recovery errors fail start-up, and a generated token is printed where the operator is looking.</summary>
internal sealed class StorageStartup(IGatewayStore store, ManagementTokenVerifier verifier) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Constructor injection already did the work; touching both keeps the analyzers from calling them unused.
        GC.KeepAlive(store);
        GC.KeepAlive(verifier);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
