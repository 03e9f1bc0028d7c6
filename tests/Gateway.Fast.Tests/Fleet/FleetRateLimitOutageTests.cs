using System.Net;
using Gateway.Fast.Fleet;
using Gateway.Fast.RateLimiting;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Two replicas (in this process, to read their state) on one real redis-server that is killed and restarted: the
/// limit is shared out while Redis is away, and counted in Redis again once it is back, without a restart.</summary>
public sealed class FleetRateLimitOutageTests : IAsyncLifetime
{
    private const int Limit = 10;
    private readonly TempDirectory _dataA = new();
    private readonly TempDirectory _dataB = new();
    private SimulatorHost _simulator = null!;
    private RedisServer _redis = null!;
    private GatewayServer _a = null!;
    private GatewayServer _b = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = _redis.Url,
            ["Gateway:Redis:RateLimit:HeartbeatSeconds"] = "1",
        };
        _a = await GatewayServer.StartAsync(_simulator, _dataA.Path, settings);
        _b = await GatewayServer.StartAsync(_simulator, _dataB.Path, settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
        await _simulator.DisposeAsync();
        _dataA.Dispose();
        _dataB.Dispose();
    }

    private static async Task<int> AdmittedAsync(GatewayServer replica, int requests)
    {
        int admitted = 0;
        for (int i = 0; i < requests; i++)
        {
            using var response = await replica.Client.SendAsync(FleetRequests.Chat($"outage {i}"));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"status {response.StatusCode}");
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        return admitted;
    }

    [Fact]
    public async Task RedisDown_EachReplicaAdmitsItsShare_ThenRedisBack_TheFleetCountsInRedisAgain()
    {
        Assert.IsType<FleetRateLimiter>(_a.Services.GetRequiredService<IRateLimiter>());
        int interval = FleetRequests.QuietInterval();
        foreach (var replica in new[] { _a, _b })
        {
            using var management = replica.ManagementClient();
            await FleetRequests.PatchDefaultAsync(management, $$"""{"rate_limiting_limit":{{Limit}},"rate_limiting_interval":{{interval}}}""");
        }

        var liveA = _a.Services.GetRequiredService<LiveReplicas>();
        var liveB = _b.Services.GetRequiredService<LiveReplicas>();
        await Eventually.HoldsAsync(() => liveA.Count == 2 && liveB.Count == 2, TimeSpan.FromSeconds(20), "each replica sees two live replicas");

        await _redis.KillAsync();
        var redisA = _a.Services.GetRequiredService<RedisConnection>();
        var redisB = _b.Services.GetRequiredService<RedisConnection>();
        await Eventually.HoldsAsync(() => !redisA.IsAvailable && !redisB.IsAvailable, TimeSpan.FromSeconds(15), "both replicas notice Redis is gone");

        // Redis away: each counts alone against limit / 2, so the fleet still admits the limit in all.
        Assert.Equal(Limit / 2, await AdmittedAsync(_a, Limit));
        Assert.Equal(Limit / 2, await AdmittedAsync(_b, Limit));
        Assert.True(((FleetRateLimiter)_a.Services.GetRequiredService<IRateLimiter>()).FallbackDecisions >= Limit);

        await _redis.RestartAsync();
        await Eventually.HoldsAsync(() => redisA.IsAvailable && redisB.IsAvailable, TimeSpan.FromSeconds(30), "both replicas reconnect");

        // Back in Redis (a new, empty one): A alone may now take the whole limit, which its local share would refuse.
        Assert.Equal(Limit, await AdmittedAsync(_a, Limit + 5));
        Assert.Equal(0, await AdmittedAsync(_b, 3));
    }
}
