using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>
/// A fleet test class's surroundings, fresh for each test: the simulator and a data folder (<see cref="SimulatorTestBase"/>)
/// and a real redis-server on a free port.
/// </summary>
public abstract class RedisReplicaTestBase : SimulatorTestBase
{
    private protected RedisServer Redis { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Redis = await RedisServer.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A gateway on the test's data folder, its fleet settings pointing at <paramref name="redisUrl"/>.</summary>
    private protected Task<GatewayServer> StartGatewayAsync(string? redisUrl)
        => GatewayServer.StartAsync(Simulator, DataPath, new Dictionary<string, string?> { ["REDIS_URL"] = redisUrl });
}
