using System.Net;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>A limit of N holds for two replicas together: a concurrent burst split between two gateway processes on one
/// real redis-server admits at most N (the limiter leases from counts kept in Redis, so its overshoot bound is 0).</summary>
public sealed class FleetRateLimitTests
{
    private const int Limit = 40;

    [Theory]
    [InlineData("fixed", null)]
    [InlineData("sliding", null)]
    [InlineData("fixed", "user-7")]
    public async Task LimitOfN_OverABurstSplitBetweenTwoReplicas_AdmitsAtMostN(string technique, string? callerKey)
    {
        // A generous command timeout: on a loaded CI machine a slow answer would send the request to the local fallback,
        // which the assertion allows for but which would not test the shared count.
        await using var fleet = await GatewayFleet.StartAsync(2, new Dictionary<string, string> { ["Gateway__Redis__OperationTimeoutMs"] = "2000" });
        int interval = FleetRequests.QuietInterval();
        foreach (int replica in new[] { 0, 1 })
        {
            using var management = fleet.ManagementClient(replica);
            await FleetRequests.PatchDefaultAsync(management,
                $$"""{"rate_limiting_limit":{{Limit}},"rate_limiting_interval":{{interval}},"rate_limiting_technique":"{{technique}}"}""");
        }

        long upstreamBefore = fleet.Simulator.RequestCount;
        const int PerReplica = 3 * Limit;
        var statuses = await Task.WhenAll(Enumerable.Range(0, 2 * PerReplica).Select(async i =>
        {
            var headers = callerKey is null ? [] : new[] { ("cf-aig-rate-limit-key", callerKey) };
            using var response = await fleet[i % 2].Client.SendAsync(FleetRequests.Chat($"burst {i}", headers: headers));
            return response.StatusCode;
        }));

        int admitted = statuses.Count(s => s == HttpStatusCode.OK);
        int refused = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.Equal(statuses.Length, admitted + refused);
        Assert.Equal(admitted, fleet.Simulator.RequestCount - upstreamBefore);

        double fallback = 0;
        foreach (var replica in fleet.Replicas)
        {
            fallback += FleetRequests.Sample(await replica.Client.GetStringAsync("metrics"), "gateway_fleet_rate_limit_fallback_total") ?? 0;
        }

        if (fallback == 0)
        {
            // Every decision was counted in Redis: exactly the limit, since each replica saw more requests than it.
            Assert.Equal(Limit, admitted);
        }
        else
        {
            // A Redis call failed under load: that replica counted its share, limit / 2, locally (the stated bound).
            Assert.InRange(admitted, 1, Limit + Limit);
        }
    }
}
