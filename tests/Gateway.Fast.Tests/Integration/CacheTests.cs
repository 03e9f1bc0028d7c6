using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>The response cache from outside: HIT/MISS/BYPASS, streams replayed as streams, only complete 2xx stored.</summary>
public sealed class CacheTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private HttpRequestMessage Chat(string content, bool stream = false, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai"), "chat/completions"))
        {
            Content = new StringContent(
                $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-cache-test");
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return request;
    }

    private async Task<(HttpStatusCode Status, string CacheStatus, string Body, string? ContentType)> SendAsync(HttpRequestMessage request)
    {
        using var response = await _env.Gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.GetValues("cf-aig-cache-status").Single(), body,
            response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task IdenticalRequest_IsServedFromTheCacheWithoutReachingTheProvider()
    {
        var first = await SendAsync(Chat("same", headers: ("cf-aig-cache-ttl", "600")));
        long upstreamCalls = _env.Simulator.RequestCount;
        var second = await SendAsync(Chat("same", headers: ("cf-aig-cache-ttl", "600")));

        Assert.Equal("MISS", first.CacheStatus);
        Assert.Equal("HIT", second.CacheStatus);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.ContentType, second.ContentType);
        Assert.Equal(upstreamCalls, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task DifferentBodyOrCredential_IsADifferentEntry()
    {
        await SendAsync(Chat("a", headers: ("cf-aig-cache-ttl", "600")));
        var otherBody = await SendAsync(Chat("b", headers: ("cf-aig-cache-ttl", "600")));
        var otherKey = Chat("a", headers: ("cf-aig-cache-ttl", "600"));
        otherKey.Headers.Authorization = new("Bearer", "sk-someone-else");
        var otherCredential = await SendAsync(otherKey);

        Assert.Equal("MISS", otherBody.CacheStatus);
        Assert.Equal("MISS", otherCredential.CacheStatus);
    }

    [Fact]
    public async Task SkipCache_IsBypassAndNeitherReadsNorStores()
    {
        await SendAsync(Chat("skip", headers: ("cf-aig-cache-ttl", "600")));
        var skipped = await SendAsync(Chat("skip", headers: [("cf-aig-cache-ttl", "600"), ("cf-aig-skip-cache", "true")]));

        Assert.Equal("BYPASS", skipped.CacheStatus);
    }

    [Fact]
    public async Task WithoutATtl_NothingIsCached()
    {
        await SendAsync(Chat("no-ttl"));
        var second = await SendAsync(Chat("no-ttl"));

        Assert.Equal("MISS", second.CacheStatus);
    }

    [Fact]
    public async Task CustomCacheKey_ServesAnyBodyUnderThatKey()
    {
        await SendAsync(Chat("one", headers: ("cf-aig-cache-key", "greeting")));
        var other = await SendAsync(Chat("two", headers: ("cf-aig-cache-key", "greeting")));

        Assert.Equal("HIT", other.CacheStatus);
    }

    [Fact]
    public async Task StreamedResponse_IsReplayedAsAStreamWithTheSameBytes()
    {
        var first = await SendAsync(Chat("stream", stream: true, ("cf-aig-cache-ttl", "600")));
        var second = await SendAsync(Chat("stream", stream: true, ("cf-aig-cache-ttl", "600")));

        Assert.Equal("HIT", second.CacheStatus);
        Assert.Equal("text/event-stream", second.ContentType);
        Assert.Equal(first.Body, second.Body);
        Assert.EndsWith("data: [DONE]\n\n", second.Body.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task CutStream_IsNeverStored()
    {
        var cut = Chat("cut", stream: true, ("cf-aig-cache-ttl", "600"), ("x-sim-tokens-per-second", "1000"), ("x-sim-reset-after", "3"));
        var broken = await SendAsync(cut);
        Assert.Contains("event: error", broken.Body);

        var again = await SendAsync(Chat("cut", stream: true, ("cf-aig-cache-ttl", "600")));

        Assert.Equal("MISS", again.CacheStatus);
        Assert.DoesNotContain("event: error", again.Body);
    }

    [Fact]
    public async Task ErrorResponses_AreNeverStored()
    {
        await SendAsync(Chat("err", headers: [("cf-aig-cache-ttl", "600"), ("x-sim-status", "500")]));
        var again = await SendAsync(Chat("err", headers: ("cf-aig-cache-ttl", "600")));

        Assert.Equal("MISS", again.CacheStatus);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task ConcurrentIdenticalMisses_AllAnswerWholeAndTheEntryIsWhole()
    {
        var tasks = Enumerable.Range(0, 16).Select(_ => SendAsync(Chat("race", headers: [("cf-aig-cache-ttl", "600"), ("x-sim-tokens", "200")])));
        var results = await Task.WhenAll(tasks).WaitAsync(Patience);
        var hit = await SendAsync(Chat("race", headers: [("cf-aig-cache-ttl", "600"), ("x-sim-tokens", "200")]));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal("HIT", hit.CacheStatus);
        Assert.Contains(hit.Body, results.Select(r => r.Body));
    }

    [Fact]
    public async Task CacheEntries_SurviveARestart()
    {
        var first = await SendAsync(Chat("durable", headers: ("cf-aig-cache-ttl", "600")));

        await _env.RestartGatewayAsync();
        var afterRestart = await SendAsync(Chat("durable", headers: ("cf-aig-cache-ttl", "600")));

        Assert.Equal("HIT", afterRestart.CacheStatus);
        Assert.Equal(first.Body, afterRestart.Body);
    }

    [Fact]
    public async Task GatewayCacheTtl_IsTheDefault_AndPurgeEmptiesIt()
    {
        using var management = _env.Gateway.ManagementClient();
        using (var patched = await management.PatchAsJsonAsync("api/management/gateways/default", new { cache_ttl = 600 }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        await SendAsync(Chat("default-ttl"));
        Assert.Equal("HIT", (await SendAsync(Chat("default-ttl"))).CacheStatus);

        using (var purged = await management.PostAsync("api/management/gateways/default/cache/purge", null))
        {
            Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        }

        Assert.Equal("MISS", (await SendAsync(Chat("default-ttl"))).CacheStatus);
    }

    [Fact]
    public async Task CacheInvalidateOnUpdate_PurgesOnEverySettingsChange()
    {
        using var management = _env.Gateway.ManagementClient();
        using (await management.PatchAsJsonAsync("api/management/gateways/default", new { cache_ttl = 600, cache_invalidate_on_update = true }))
        {
        }

        await SendAsync(Chat("invalidate"));
        Assert.Equal("HIT", (await SendAsync(Chat("invalidate"))).CacheStatus);
        using (await management.PatchAsJsonAsync("api/management/gateways/default", new { collect_logs = false }))
        {
        }

        Assert.Equal("MISS", (await SendAsync(Chat("invalidate"))).CacheStatus);
    }
}
