using System.Net;
using System.Text;
using System.Text.Json;
using static Gateway.Fast.Tests.Fleet.FleetLogsClient;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Two gateway processes on one real redis-server, each writing its own log rows: the logs API and analytics of
/// either replica answer for both, as one node holding every row would.</summary>
public sealed class FleetLogsTests
{
    private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "o3"];

    /// <summary>Writes rows through A and B, alternating, with models and token counts that differ; waits until both hold theirs.</summary>
    private static async Task<(List<string> OnA, List<string> OnB)> WriteRowsAsync(GatewayFleet fleet, int onA, int onB)
    {
        var a = new List<string>();
        var b = new List<string>();
        for (int i = 0; i < Math.Max(onA, onB); i++)
        {
            if (i < onA)
            {
                a.Add(await ChatAsync(fleet[0], Models[i % Models.Length], 5 + (3 * i)));
            }

            if (i < onB)
            {
                b.Add(await ChatAsync(fleet[1], Models[(i + 1) % Models.Length], 7 + (2 * i)));
            }
        }

        await WaitForRowsAsync(fleet, onA, onB);
        return (a, b);
    }

    private static async Task<List<JsonElement>> AllRowsAsync(GatewayFleet fleet)
    {
        using var a = fleet.ManagementClient(0);
        using var b = fleet.ManagementClient(1);
        return [.. await LocalRowsAsync(a), .. await LocalRowsAsync(b)];
    }

    [Fact]
    public async Task RowsWrittenThroughAAndB_ListedFromB_PageAndFilterAsOneNodeWould()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        await WriteRowsAsync(fleet, onA: 5, onB: 4);
        var all = await AllRowsAsync(fleet);
        Assert.Equal(9, all.Count);
        using var b = fleet.ManagementClient(1);

        // Newest first, two a page, through the end and one page past it: each page is the slice one node would give.
        var newest = ByCreatedAt(all, descending: true).Select(static r => r.GetProperty("id").GetString()!).ToList();
        for (int page = 1; page <= 6; page++)
        {
            var (status, body, missing) = await GetAsync(b, $"{Logs}?per_page=2&page={page}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Null(missing);
            Assert.Equal(newest.Skip((page - 1) * 2).Take(2).ToList(), Ids(body));
            var info = body.GetProperty("result_info");
            Assert.Equal(page, info.GetProperty("page").GetInt32());
            Assert.Equal(2, info.GetProperty("per_page").GetInt32());
            Assert.Equal(Math.Max(0, Math.Min(2, 9 - ((page - 1) * 2))), info.GetProperty("count").GetInt32());
            Assert.Equal(9, info.GetProperty("total_count").GetInt32());
        }

        // By model ascending: ties fall back to created_at then id, in the same direction.
        var byModel = all.OrderBy(static r => r.GetProperty("model").GetString(), StringComparer.Ordinal)
            .ThenBy(static r => r.GetProperty("created_at").GetString(), StringComparer.Ordinal)
            .ThenBy(static r => r.GetProperty("id").GetString(), StringComparer.Ordinal)
            .Select(static r => r.GetProperty("id").GetString()!).ToList();
        var (_, second, _) = await GetAsync(b, $"{Logs}?per_page=4&page=2&order_by=model&order_by_direction=asc");
        Assert.Equal(byModel.Skip(4).Take(4).ToList(), Ids(second));

        // A filter applies on every replica; the total is the sum of theirs.
        var mini = ByCreatedAt(all.Where(static r => r.GetProperty("model").GetString() == "gpt-4o-mini"), descending: true)
            .Select(static r => r.GetProperty("id").GetString()!).ToList();
        var (_, filtered, _) = await GetAsync(b, $"{Logs}?filters.key=model&filters.operator=eq&filters.value=gpt-4o-mini&per_page=50");
        Assert.Equal(mini, Ids(filtered));
        Assert.Equal(mini.Count, filtered.GetProperty("result_info").GetProperty("total_count").GetInt32());

        // meta_info's ranges span both replicas' rows.
        var tokensOut = all.Select(static r => r.GetProperty("tokens_out").GetInt32()).ToList();
        var (_, meta, _) = await GetAsync(b, $"{Logs}?meta_info=true&per_page=1");
        Assert.Equal(tokensOut.Min(), meta.GetProperty("result_info").GetProperty("min_tokens_out").GetDouble());
        Assert.Equal(tokensOut.Max(), meta.GetProperty("result_info").GetProperty("max_tokens_out").GetDouble());

        // A answers the same page as B.
        using var a = fleet.ManagementClient(0);
        var (_, fromA, _) = await GetAsync(a, $"{Logs}?per_page=3&page=2");
        Assert.Equal(newest.Skip(3).Take(3).ToList(), Ids(fromA));
    }

    [Fact]
    public async Task AnalyticsFromB_SumBothReplicasRows_AndTheGatewayListingIsTheSameOnEach()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        await WriteRowsAsync(fleet, onA: 4, onB: 4);
        var all = await AllRowsAsync(fleet);
        using var a = fleet.ManagementClient(0);
        using var b = fleet.ManagementClient(1);

        var (status, body, missing) = await GetAsync(b, "api/management/gateways/default/analytics?group_by=model");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(missing);
        var expected = all.GroupBy(static r => r.GetProperty("model").GetString()!).OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => (g.Key, (long)g.Count(), g.Sum(static r => (long)r.GetProperty("tokens_out").GetInt32()),
                g.Max(static r => r.GetProperty("duration").GetInt32()))).ToList();
        var groups = body.GetProperty("result").EnumerateArray().ToList();
        Assert.Equal(expected.Select(static e => (e.Key, e.Item2, e.Item3)),
            groups.Select(static g => (g.GetProperty("model").GetString()!, g.GetProperty("requests").GetInt64(), g.GetProperty("tokens_out").GetInt64())));

        // Percentiles come from the merged histograms: a group's p99 is its slowest row (nearest rank, bucket lower bound).
        foreach (var (group, (_, _, _, slowest)) in groups.Zip(expected))
        {
            Assert.True(group.GetProperty("latency_ms").GetProperty("p99").GetDouble() <= slowest);
        }

        var (_, everyGateway, _) = await GetAsync(a, "api/management/analytics");
        Assert.Equal(8, everyGateway.GetProperty("result").EnumerateArray().Sum(static g => g.GetProperty("requests").GetInt64()));

        // The gateway listing is shared configuration: the same from either replica.
        var (_, listA, _) = await GetAsync(a, "api/management/gateways");
        var (_, listB, _) = await GetAsync(b, "api/management/gateways");
        Assert.Equal(listA.GetProperty("result").GetRawText(), listB.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task ARowHeldByA_IsReadPatchedAndDeletedThroughB()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2);
        var (onA, _) = await WriteRowsAsync(fleet, onA: 3, onB: 3);
        using var a = fleet.ManagementClient(0);
        using var b = fleet.ManagementClient(1);
        var id = onA[0];

        var (status, row, _) = await GetAsync(b, $"{Logs}/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, row.GetProperty("result").GetProperty("id").GetString());
        using (var request = await b.GetAsync($"{Logs}/{id}/request"))
        {
            Assert.Equal(HttpStatusCode.OK, request.StatusCode);
            Assert.Contains("\"model\":\"gpt-4o\"", await request.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (patched, patchBody, _) = await SendAsync(b, Patch($"{Logs}/{id}", """{"feedback":1,"score":42}"""));
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal(1, patchBody.GetProperty("result").GetProperty("feedback").GetInt32());
        var (_, onItsReplica, _) = await GetAsync(a, $"{Logs}/{id}", localOnly: true);
        Assert.Equal(42, onItsReplica.GetProperty("result").GetProperty("score").GetDouble());

        // The holder validates a forwarded body: its 400 is the answer, not a 404.
        var (invalid, _, _) = await SendAsync(b, Patch($"{Logs}/{id}", """{"feedback":5}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        var (unknown, _, none) = await GetAsync(b, $"{Logs}/no-such-row");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Null(none);

        // A limited DELETE takes the fleet's oldest rows, wherever they are; one without a limit takes the rest everywhere.
        var oldest = ByCreatedAt(await AllRowsAsync(fleet), descending: false).Select(static r => r.GetProperty("id").GetString()!).ToList();
        var (deleted, deleteBody, _) = await SendAsync(b, new HttpRequestMessage(HttpMethod.Delete,
            $"{Logs}?order_by=created_at&order_by_direction=asc&limit=4"));
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(4, deleteBody.GetProperty("result").GetProperty("deleted").GetInt32());
        var left = (await AllRowsAsync(fleet)).Select(static r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(oldest.Skip(4).Order(StringComparer.Ordinal).ToList(), left);

        var (_, rest, _) = await SendAsync(b, new HttpRequestMessage(HttpMethod.Delete, Logs));
        Assert.Equal(2, rest.GetProperty("result").GetProperty("deleted").GetInt32());
        Assert.Empty(await AllRowsAsync(fleet));
        var (gone, _, _) = await GetAsync(b, $"{Logs}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task AReplicaThatDoesNotAnswer_IsNamed_AndTheOthersStillAnswerWithinTheDeadline()
    {
        await using var fleet = await GatewayFleet.StartAsync(replicas: 2,
            new Dictionary<string, string> { ["Gateway__Redis__QueryDeadlineMs"] = "1000" });
        var (onA, onB) = await WriteRowsAsync(fleet, onA: 2, onB: 1);
        var idA = await ReplicaIdAsync(fleet[0]);
        using var b = fleet.ManagementClient(1);

        // Stopped, A stays registered and its port accepts connections, but it answers nothing.
        await SignalAsync(fleet[0], "STOP");
        try
        {
            var (status, body, missing) = await GetAsync(b, Logs);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(idA, missing);
            Assert.Equal(onB, Ids(body));
            Assert.Equal(1, body.GetProperty("result_info").GetProperty("total_count").GetInt32());
            var note = Assert.Single(body.GetProperty("messages").EnumerateArray()).GetProperty("message").GetString();
            Assert.Contains(idA, note, StringComparison.Ordinal);
            Assert.Contains("within 1000 ms", note, StringComparison.Ordinal);

            var (analytics, sums, named) = await GetAsync(b, "api/management/gateways/default/analytics");
            Assert.Equal(HttpStatusCode.OK, analytics);
            Assert.Equal(idA, named);
            Assert.Equal(1, Assert.Single(sums.GetProperty("result").EnumerateArray()).GetProperty("requests").GetInt64());

            // A row only A holds cannot be found meanwhile, and the answer says where it may be.
            var (notFound, _, mayBeOn) = await GetAsync(b, $"{Logs}/{onA[0]}");
            Assert.Equal(HttpStatusCode.NotFound, notFound);
            Assert.Equal(idA, mayBeOn);
        }
        finally
        {
            await SignalAsync(fleet[0], "CONT");
        }

        var (_, whole, healed) = await GetAsync(b, Logs);
        Assert.Null(healed);
        Assert.Equal(3, whole.GetProperty("result_info").GetProperty("total_count").GetInt32());

        // Killed, A is still registered until its heartbeat ages out: its port refuses, and the answer names it at once.
        await fleet[0].KillAsync();
        var (afterKill, rest, gone) = await GetAsync(b, Logs);
        Assert.Equal(HttpStatusCode.OK, afterKill);
        Assert.Equal(idA, gone);
        Assert.Equal(onB, Ids(rest));
    }

    private static HttpRequestMessage Patch(string path, string json)
        => new(HttpMethod.Patch, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
