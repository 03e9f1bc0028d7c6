using System.Net;
using Gateway.Fast.Tests.Durability;
using StackExchange.Redis;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Two gateway processes on one real redis-server, sharing the response cache: Redis is the second tier behind each
/// replica's FASTER store.</summary>
public sealed class FleetCacheTests(FleetCacheTests.Fleet fleet) : IClassFixture<FleetCacheTests.Fleet>
{
    /// <summary>Entries over this many bytes stay in the local tier (the fleet's setting for these tests).</summary>
    private const int MaxSharedEntryBytes = 32 * 1024;

    private static readonly (string, string) Ttl = ("cf-aig-cache-ttl", "600");

    private GatewayProcess A => fleet.Replicas[0];

    private GatewayProcess B => fleet.Replicas[1];

    private static async Task<(HttpStatusCode Status, string CacheStatus, string Body, string? ContentType)> SendAsync(
        GatewayProcess replica, HttpRequestMessage request)
    {
        using var response = await replica.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.GetValues("cf-aig-cache-status").Single(), body,
            response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnEntryWrittenThroughA_IsAHitOnB_PlainAndStreamed(bool stream)
    {
        var content = $"shared {stream}";
        long stored = await fleet.SharedEntriesAsync();
        var first = await SendAsync(A, FleetRequests.Chat(content, stream, Ttl));
        await fleet.WaitForSharedEntriesAsync(stored + 1);
        long upstream = fleet.Inner.Simulator.RequestCount;

        var onB = await SendAsync(B, FleetRequests.Chat(content, stream, Ttl));

        Assert.Equal("MISS", first.CacheStatus);
        Assert.Equal(HttpStatusCode.OK, onB.Status);
        Assert.Equal("HIT", onB.CacheStatus);
        Assert.Equal(first.Body, onB.Body);
        Assert.Equal(stream ? "text/event-stream" : "application/json", onB.ContentType);
        if (stream)
        {
            Assert.StartsWith("data: ", onB.Body, StringComparison.Ordinal);
            Assert.EndsWith("data: [DONE]\n\n", onB.Body.Replace("\r\n", "\n"), StringComparison.Ordinal);
        }

        Assert.Equal(upstream, fleet.Inner.Simulator.RequestCount);
        var metrics = await B.Client.GetStringAsync("metrics");
        Assert.True(FleetRequests.Sample(metrics, "gateway_fleet_cache_shared_hits_total") >= 1);
    }

    [Fact]
    public async Task APurgeOnA_MakesBMiss()
    {
        long stored = await fleet.SharedEntriesAsync();
        await SendAsync(A, FleetRequests.Chat("purged", headers: Ttl));
        await fleet.WaitForSharedEntriesAsync(stored + 1);
        Assert.Equal("HIT", (await SendAsync(B, FleetRequests.Chat("purged", headers: Ttl))).CacheStatus); // now in B's local tier too

        using (var management = fleet.Inner.ManagementClient(0))
        using (var purge = await management.PostAsync("api/management/gateways/default/cache/purge", null))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        // B learns of the purge by pub/sub, within milliseconds; until then it may still answer from its old generation.
        stored = await fleet.SharedEntriesAsync();
        await Eventually.HoldsAsync(async () => (await SendAsync(B, FleetRequests.Chat("purged", headers: Ttl))).CacheStatus == "MISS",
            TimeSpan.FromSeconds(10), "B stops serving the entry purged on A");
        await fleet.WaitForSharedEntriesAsync(stored + 1);
        Assert.Equal("HIT", (await SendAsync(A, FleetRequests.Chat("purged", headers: Ttl))).CacheStatus); // B's new answer, shared again
    }

    [Fact]
    public async Task AnEntryOverTheSharedLimit_StaysInTheLocalTierOfItsReplica()
    {
        var big = new[] { Ttl, ("x-sim-tokens", "20000") };
        var first = await SendAsync(A, FleetRequests.Chat("big", headers: big));
        Assert.True(first.Body.Length > MaxSharedEntryBytes, $"the answer is {first.Body.Length} bytes");

        Assert.Equal("MISS", (await SendAsync(B, FleetRequests.Chat("big", headers: big))).CacheStatus);
        Assert.Equal("HIT", (await SendAsync(A, FleetRequests.Chat("big", headers: big))).CacheStatus);
        Assert.True(FleetRequests.Sample(await A.Client.GetStringAsync("metrics"), "gateway_fleet_cache_oversize_total") >= 1);
    }

    /// <summary>Redis and two replicas for the whole class (the tests use different requests, so different entries).</summary>
    public sealed class Fleet : IAsyncLifetime
    {
        public GatewayFleet Inner { get; private set; } = null!;

        public IReadOnlyList<GatewayProcess> Replicas => Inner.Replicas;

        public async Task InitializeAsync() => Inner = await GatewayFleet.StartAsync(2, new Dictionary<string, string>
        {
            ["Gateway__Redis__Cache__MaxSharedEntryBytes"] = MaxSharedEntryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway__Redis__OperationTimeoutMs"] = "2000",
        });

        public async Task DisposeAsync() => await Inner.DisposeAsync();

        /// <summary>Cache entries in Redis now, read with a connection of the test's own.</summary>
        public async Task<long> SharedEntriesAsync()
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Inner.Redis.Port}");
            long count = 0;
            await foreach (var _ in redis.GetServer("127.0.0.1", Inner.Redis.Port).KeysAsync(pattern: "gateway:cache:entry:*"))
            {
                count++;
            }

            return count;
        }

        /// <summary>Waits until Redis holds <paramref name="count"/> entries. A JSON answer's last byte (it has a Content-Length)
        /// can reach the client a moment before its replica's write to Redis completes; a stream ends after it.</summary>
        public Task WaitForSharedEntriesAsync(long count)
            => Eventually.HoldsAsync(async () => await SharedEntriesAsync() >= count, TimeSpan.FromSeconds(10), $"Redis holds {count} cache entries");
    }
}
