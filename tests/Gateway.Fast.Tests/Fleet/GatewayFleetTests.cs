using System.Net;
using System.Text.Json;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>The fleet fixture itself: replicas as separate processes on one Redis, each its own replica.</summary>
public sealed class GatewayFleetTests
{
    [Fact]
    public async Task TwoReplicas_ShareOneRedis_EachUnderItsOwnId()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);

        var ids = new List<string>();
        foreach (var replica in fleet.Replicas)
        {
            using var response = await replica.Client.GetAsync("health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var redis = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("redis");
            Assert.True(redis.GetProperty("up").GetBoolean());
            ids.Add(redis.GetProperty("replica").GetString()!);

            var metrics = await replica.Client.GetStringAsync("metrics");
            Assert.Contains("gateway_redis_up 1", metrics, StringComparison.Ordinal);
        }

        Assert.Equal(2, ids.Distinct().Count());
    }
}
