using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Replicas register in Redis (id, internal address, heartbeat); one that gets SIGTERM deregisters, stops taking new
/// connections, finishes the stream it is serving, and flushes that stream's log row before it exits.</summary>
public sealed class FleetMembershipTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static async Task<List<(string Id, string Address)>> ReplicasAsync(HttpClient management)
    {
        using var response = await management.GetAsync("api/management/replicas");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("result").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("address").GetString()!)).ToList();
    }

    private static async Task<string> ReplicaIdAsync(Durability.GatewayProcess replica)
    {
        using var doc = JsonDocument.Parse(await replica.Client.GetStringAsync("health"));
        return doc.RootElement.GetProperty("redis").GetProperty("replica").GetString()!;
    }

    [Fact]
    public async Task EachReplica_IsListedWithItsAddress_ByEveryReplica()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        var expected = new List<(string Id, string Address)>();
        foreach (var replica in fleet.Replicas)
        {
            expected.Add((await ReplicaIdAsync(replica), replica.Address.ToString().TrimEnd('/')));
        }

        expected.Sort((x, y) => string.CompareOrdinal(x.Id, y.Id));
        for (int i = 0; i < 2; i++)
        {
            using var management = fleet.ManagementClient(i);
            Assert.Equal(expected, await ReplicasAsync(management));
        }
    }

    [Fact]
    public async Task Sigterm_Deregisters_RefusesNewConnections_FinishesTheStreamInFlight_AndFlushesItsLogRow()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        var leaving = fleet[1];
        using var a = fleet.ManagementClient(0);
        Assert.Equal(2, (await ReplicasAsync(a)).Count);

        // About 4 s of stream: 80 tokens at 20 a second.
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/acct/default/openai/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-sim-tokens", "80");
        request.Headers.Add("x-sim-tokens-per-second", "20");
        using var response = await leaving.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logId = response.Headers.GetValues("cf-aig-log-id").Single();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        Assert.NotNull(await reader.ReadLineAsync()); // the stream has begun

        var terminated = leaving.TerminateAsync();

        // While the stream still runs: a new connection is refused, and the other replicas no longer list this one.
        await Eventually.HoldsAsync(async () =>
        {
            using var fresh = new HttpClient { BaseAddress = leaving.Address };
            try
            {
                using var health = await fresh.GetAsync("health");
                return false;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        }, Generous, "the stopping replica refuses new connections");
        Assert.Single(await ReplicasAsync(a));

        var rest = await reader.ReadToEndAsync();
        Assert.Contains("data: [DONE]", rest, StringComparison.Ordinal);
        await terminated;

        await using var store = FasterLogStore.Open(Path.Combine(fleet.DataPath(1), "logs"));
        Assert.True(store.TryGet(logId, out var row), "the stream's log row was flushed before exit");
        Assert.Equal(200, row.StatusCode);
    }
}
