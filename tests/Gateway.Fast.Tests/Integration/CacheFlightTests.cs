using System.Net;
using System.Text;
using Gateway.Fast.Caching;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Integration;

/// <summary>
/// Read your own writes and no stampede: a request sent once the identical one's answer is read is a HIT, and identical
/// requests that arrive while the first is in flight wait for it; the simulator counts the provider calls.
/// </summary>
public sealed class CacheFlightTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private CacheFlights Flights => _env.Gateway.Services.GetRequiredService<CacheFlights>();

    private HttpRequestMessage Chat(string content, bool stream = false, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl("openai"), "chat/completions"))
        {
            Content = new StringContent(
                $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-flight-test");
        request.Headers.TryAddWithoutValidation("cf-aig-cache-ttl", "600");
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return request;
    }

    private async Task<(HttpStatusCode Status, string CacheStatus, string Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await _env.Gateway.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.GetValues("cf-aig-cache-status").Single(), body);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestSentRightAfterTheIdenticalOneCompleted_IsAHit(bool stream)
    {
        long before = _env.Simulator.RequestCount;
        for (int i = 0; i < 20; i++)
        {
            var first = await SendAsync(Chat($"sequential {i}", stream));
            var second = await SendAsync(Chat($"sequential {i}", stream));

            Assert.Equal(HttpStatusCode.OK, first.Status);
            Assert.Equal("MISS", first.CacheStatus);
            Assert.Equal("HIT", second.CacheStatus);
            Assert.Equal(first.Body, second.Body);
        }

        Assert.Equal(before + 20, _env.Simulator.RequestCount);
        Assert.Equal(0, Flights.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IdenticalRequestsInFlight_WaitForTheFirstAndTheProviderIsCalledOnce(bool stream)
    {
        const int Followers = 8;
        long before = _env.Simulator.RequestCount;

        // The provider holds the first answer until every follower is waiting on it (the delay only bounds the test's
        // patience; the check below is on the waiting count, not on time).
        var leader = SendAsync(Chat("burst", stream, ("x-sim-delay-ms", "5000")));
        await WaitUntilAsync(() => Flights.Count == 1);
        var followers = Enumerable.Range(0, Followers).Select(_ => SendAsync(Chat("burst", stream))).ToArray();
        await WaitUntilAsync(() => Flights.Waiting == Followers || leader.IsCompleted);
        Assert.Equal(Followers, Flights.Waiting);

        var first = await leader;
        var rest = await Task.WhenAll(followers);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("MISS", first.CacheStatus);
        Assert.All(rest, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal("HIT", r.CacheStatus);
            Assert.Equal(first.Body, r.Body);
        });
        Assert.Equal(before + 1, _env.Simulator.RequestCount);
        Assert.Equal(0, Flights.Count);
    }

    [Fact]
    public async Task WhenTheFirstFails_OneWaiterGoesToTheProviderAndTheOthersGetItsAnswer()
    {
        const int Followers = 6;
        long before = _env.Simulator.RequestCount;
        (string, string)[] faults =
        [
            ("x-sim-status", "500"), ("x-sim-delay-ms", "5000"), ("x-sim-fail-first", "1"), ("x-sim-fail-key", "flight-fails"),
            ("cf-aig-max-attempts", "1"),
        ];

        var leader = SendAsync(Chat("fails first", false, faults));
        await WaitUntilAsync(() => Flights.Count == 1);
        var followers = Enumerable.Range(0, Followers).Select(_ => SendAsync(Chat("fails first", false, faults))).ToArray();
        await WaitUntilAsync(() => Flights.Waiting == Followers || leader.IsCompleted);
        Assert.Equal(Followers, Flights.Waiting);

        var first = await leader;
        var rest = await Task.WhenAll(followers);

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.All(rest, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(rest, r => r.CacheStatus == "MISS");
        Assert.Equal(Followers - 1, rest.Count(r => r.CacheStatus == "HIT"));
        Assert.Equal(before + 2, _env.Simulator.RequestCount);
        Assert.Equal(0, Flights.Count);
    }

    [Fact]
    public async Task AStreamNotAskedToBeCached_DoesNotHoldItsTwinsBack()
    {
        // A stream under the gateway's TTL alone is not cached (our choice, docs/gateway-api.md#caching): its flight lands at the response headers with
        // "uncacheable", and the twin goes to the provider at once instead of queueing behind the whole stream.
        var request = Chat("uncached stream", stream: false);
        request.Headers.Remove("cf-aig-cache-ttl");
        var gateway = await CreateGatewayWithTtlAsync();
        request.RequestUri = new Uri(_env.ProviderUrl("google-ai-studio", gateway), "v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
        request.Content = new StringContent("""{"contents":[{"parts":[{"text":"hi"}]}]}""", Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("x-sim-stall-after", "2");
        using var held = await _env.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal(0, Flights.Count);

        var twin = new HttpRequestMessage(HttpMethod.Post, request.RequestUri)
        {
            Content = new StringContent("""{"contents":[{"parts":[{"text":"hi"}]}]}""", Encoding.UTF8, "application/json"),
        };
        twin.Headers.Authorization = request.Headers.Authorization;
        using var second = await _env.Gateway.Client.SendAsync(twin).WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    private async Task<string> CreateGatewayWithTtlAsync()
    {
        using var client = _env.Gateway.ManagementClient();
        using var response = await client.PostAsync("/api/management/gateways", new StringContent(
            """{"id":"ttl-gw","cache_ttl":600,"cache_invalidate_on_update":false,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0,"rate_limiting_technique":"fixed"}""",
            Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return "ttl-gw";
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
