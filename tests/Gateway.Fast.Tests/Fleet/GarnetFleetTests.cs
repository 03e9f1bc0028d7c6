using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Durability;
using Gateway.Fast.Tests.Infrastructure;
using StackExchange.Redis;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>The fleet's scenarios on Garnet instead of redis-server: two gateway processes on one Garnet (in this test
/// process, Lua on) share configuration (hash, pub/sub, version check), the cache (values with a TTL, the purge script), the
/// rate limits (the Lua script on the server's clock) and the replica registry, exactly as they do on Redis.</summary>
public sealed class GarnetFleetTests(GarnetFleetTests.Fleet fleet) : IClassFixture<GarnetFleetTests.Fleet>
{
    private const int Limit = 30;

    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    private static readonly (string, string) Ttl = ("cf-aig-cache-ttl", "600");

    private GatewayProcess A => fleet.Inner[0];

    private GatewayProcess B => fleet.Inner[1];

    private static async Task<JsonElement> ResultAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("result").Clone();
    }

    private static HttpRequestMessage Chat(string gateway, string content, params (string Name, string Value)[] headers)
    {
        var request = FleetRequests.Chat(content, stream: false, headers);
        request.RequestUri = new Uri($"v1/acct/{gateway}/openai/chat/completions", UriKind.Relative);
        return request;
    }

    private static async Task<HttpStatusCode> StatusAsync(GatewayProcess replica, HttpRequestMessage request)
    {
        using (request)
        using (var response = await replica.Client.SendAsync(request))
        {
            return response.StatusCode;
        }
    }

    private static async Task<(string CacheStatus, string Body, string? ContentType)> CachedAsync(GatewayProcess replica, HttpRequestMessage request)
    {
        using (request)
        using (var response = await replica.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (response.Headers.GetValues("cf-aig-cache-status").Single(), await response.Content.ReadAsStringAsync(),
                response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>Creates a gateway on A and waits until B serves it.</summary>
    private async Task CreateGatewayOnAAsync(object settings, string id)
    {
        using var a = fleet.Inner.ManagementClient(0);
        using var b = fleet.Inner.ManagementClient(1);
        using (var created = await a.PostAsJsonAsync("api/management/gateways", settings))
        {
            await ResultAsync(created);
        }

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await b.GetAsync($"api/management/gateways/{id}");
            return response.StatusCode == HttpStatusCode.OK;
        }, Propagation, $"B knows the gateway '{id}' A created");
    }

    [Fact]
    public async Task AGatewayAndTokenFromA_WorkOnB_AndTheTokenRevokedOnA_IsRefusedByB()
    {
        await CreateGatewayOnAAsync(new { id = "garnet-locked", authentication = true }, "garnet-locked");
        using var a = fleet.Inner.ManagementClient(0);
        JsonElement token;
        using (var created = await a.PostAsJsonAsync("api/management/gateways/garnet-locked/tokens", new { name = "ci" }))
        {
            token = await ResultAsync(created);
        }

        var bearer = ("cf-aig-authorization", "Bearer " + token.GetProperty("token").GetString());
        await Eventually.HoldsAsync(async () => await StatusAsync(B, Chat("garnet-locked", "hi", bearer)) == HttpStatusCode.OK,
            Propagation, "B accepts the token A issued");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(B, Chat("garnet-locked", "hi")));

        using (var revoked = await a.DeleteAsync($"api/management/gateways/garnet-locked/tokens/{token.GetProperty("id").GetString()}"))
        {
            await ResultAsync(revoked);
        }

        await Eventually.HoldsAsync(async () => await StatusAsync(B, Chat("garnet-locked", "hi", bearer)) == HttpStatusCode.Unauthorized,
            Propagation, "B refuses the token A revoked");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnEntryWrittenThroughA_IsAHitOnB_PlainAndStreamed(bool stream)
    {
        var content = $"garnet shared {stream}";
        long stored = await fleet.SharedEntriesAsync();
        var first = await CachedAsync(A, FleetRequests.Chat(content, stream, Ttl));
        await fleet.WaitForSharedEntriesAsync(stored + 1);
        long upstream = fleet.Inner.Simulator.RequestCount;

        var onB = await CachedAsync(B, FleetRequests.Chat(content, stream, Ttl));

        Assert.Equal("MISS", first.CacheStatus);
        Assert.Equal("HIT", onB.CacheStatus);
        Assert.Equal(first.Body, onB.Body);
        Assert.Equal(stream ? "text/event-stream" : "application/json", onB.ContentType);
        Assert.Equal(upstream, fleet.Inner.Simulator.RequestCount);
    }

    [Fact]
    public async Task APurgeOnA_MakesBMiss()
    {
        await CreateGatewayOnAAsync(new { id = "garnet-purged", authentication = false }, "garnet-purged");
        long stored = await fleet.SharedEntriesAsync();
        await CachedAsync(A, Chat("garnet-purged", "purged", Ttl));
        await fleet.WaitForSharedEntriesAsync(stored + 1);
        Assert.Equal("HIT", (await CachedAsync(B, Chat("garnet-purged", "purged", Ttl))).CacheStatus);

        using (var management = fleet.Inner.ManagementClient(0))
        using (var purge = await management.PostAsync("api/management/gateways/garnet-purged/cache/purge", null))
        {
            Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await CachedAsync(B, Chat("garnet-purged", "purged", Ttl))).CacheStatus == "MISS",
            Propagation, "B stops serving the entry purged on A");
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("sliding")]
    public async Task LimitOfN_OverABurstSplitBetweenTwoReplicas_AdmitsExactlyN(string technique)
    {
        string id = "garnet-limited-" + technique;
        await CreateGatewayOnAAsync(new
        {
            id,
            authentication = false,
            rate_limiting_limit = Limit,
            rate_limiting_interval = FleetRequests.QuietInterval(),
            rate_limiting_technique = technique,
        }, id);

        double fallbackBefore = await FallbackDecisionsAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6 * Limit).Select(i => StatusAsync(fleet.Inner[i % 2], Chat(id, $"burst {i}"))));

        Assert.Equal(statuses.Length, statuses.Count(s => s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        // Every decision was made by the script on Garnet (none fell back to local counting), so the fleet admitted the limit.
        Assert.Equal(fallbackBefore, await FallbackDecisionsAsync());
        Assert.Equal(Limit, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task EachReplica_IsListedByTheOther_AndSeesGarnetUp()
    {
        var ids = new List<string>();
        foreach (var replica in fleet.Inner.Replicas)
        {
            using var health = JsonDocument.Parse(await replica.Client.GetStringAsync("health"));
            var redis = health.RootElement.GetProperty("redis");
            Assert.True(redis.GetProperty("up").GetBoolean());
            Assert.Equal("redis", redis.GetProperty("config").GetProperty("source").GetString());
            Assert.Equal("matches", redis.GetProperty("config").GetProperty("master_key").GetString());
            ids.Add(redis.GetProperty("replica").GetString()!);
        }

        foreach (int replica in new[] { 0, 1 })
        {
            using var management = fleet.Inner.ManagementClient(replica);
            var listed = (await ResultAsync(await management.GetAsync("api/management/replicas")))
                .EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal);
            Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
        }
    }

    private async Task<double> FallbackDecisionsAsync()
    {
        double total = 0;
        foreach (var replica in fleet.Inner.Replicas)
        {
            total += FleetRequests.Sample(await replica.Client.GetStringAsync("metrics"), "gateway_fleet_rate_limit_fallback_total") ?? 0;
        }

        return total;
    }

    /// <summary>Garnet and two replicas for the whole class (each test uses its own gateway or requests).</summary>
    public sealed class Fleet : IAsyncLifetime
    {
        private GarnetHost _garnet = null!;

        public GatewayFleet Inner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _garnet = GarnetHost.Start();
            // A generous command timeout: on a loaded CI machine a slow answer would send a decision to the local fallback.
            Inner = await GatewayFleet.StartOnAsync(_garnet.Url, 2, new Dictionary<string, string> { ["Gateway__Redis__OperationTimeoutMs"] = "2000" });
        }

        public async Task DisposeAsync()
        {
            await Inner.DisposeAsync();
            await _garnet.DisposeAsync();
        }

        /// <summary>Cache entries in Garnet now, read with a connection of the test's own.</summary>
        public async Task<long> SharedEntriesAsync()
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_garnet.Port}");
            long count = 0;
            await foreach (var _ in redis.GetServer("127.0.0.1", _garnet.Port).KeysAsync(pattern: "gateway:cache:entry:*"))
            {
                count++;
            }

            return count;
        }

        public Task WaitForSharedEntriesAsync(long count)
            => Eventually.HoldsAsync(async () => await SharedEntriesAsync() >= count, Propagation, $"Garnet holds {count} cache entries");
    }
}
