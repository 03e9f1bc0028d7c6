using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>
/// A fleet test class's surroundings, fresh for each test: the simulator as every provider, a real redis-server on a
/// free port, and a data folder for the one gateway the test starts.
/// </summary>
public abstract class RedisReplicaTestBase : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    private protected SimulatorHost Simulator { get; private set; } = null!;

    private protected RedisServer Redis { get; private set; } = null!;

    private protected string DataPath => _data.Path;

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorHost.StartAsync();
        Redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Simulator.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>A gateway on the test's data folder, its fleet settings pointing at <paramref name="redisUrl"/>.</summary>
    private protected Task<GatewayServer> StartGatewayAsync(string? redisUrl)
        => GatewayServer.StartAsync(Simulator, DataPath, new Dictionary<string, string?> { ["REDIS_URL"] = redisUrl });
}
