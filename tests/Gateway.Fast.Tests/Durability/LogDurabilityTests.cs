using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Durability;

/// <summary>The gateway process stopped by SIGTERM loses no log row; killed by SIGKILL under load, it keeps every committed row whole.</summary>
public sealed class LogDurabilityTests : SimulatorTestBase
{
    private static async Task<string> SendAsync(HttpClient client, int n)
    {
        using var response = await client.PostAsync("v1/acct/default/openai/chat/completions", new StringContent(
            $$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"request {{n}}"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("cf-aig-log-id").Single();
    }

    private async Task<FasterLogStore> ReopenAsync()
    {
        var store = FasterLogStore.Open(Path.Combine(DataPath, "logs"));
        await Task.CompletedTask;
        return store;
    }

    [Fact]
    public async Task Sigterm_FlushesEveryLogRow()
    {
        var ids = new ConcurrentBag<string>();
        await using (var gateway = await GatewayProcess.StartAsync(DataPath, Simulator.BaseUrl + "/v1"))
        {
            await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (n, _) => ids.Add(await SendAsync(gateway.Client, n)));

            await gateway.TerminateAsync();
        }

        await using var store = await ReopenAsync();
        Assert.Equal(0, store.Corrupt);
        foreach (var id in ids)
        {
            Assert.True(store.TryGet(id, out var row), $"row {id} was lost");
            Assert.Equal("openai", row.Provider);
            Assert.Equal(200, row.StatusCode);
        }
    }

    [Fact]
    public async Task Kill9UnderLoad_KeepsEveryCommittedRowWhole()
    {
        var sent = new ConcurrentBag<string>();
        HashSet<string> committed;
        await using (var gateway = await GatewayProcess.StartAsync(DataPath, Simulator.BaseUrl + "/v1"))
        {
            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                int n = 0;
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        sent.Add(await SendAsync(gateway.Client, Interlocked.Increment(ref n)));
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return; // the process died under this request
                    }
                }
            });
            var others = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        sent.Add(await SendAsync(gateway.Client, 0));
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            })).ToArray();

            // Rows the logs API lists are committed: they must all survive the kill.
            committed = await ListedIdsAsync(gateway, atLeast: 200);
            stop.Cancel(); // first, so the requests the kill cuts count as expected failures; they are still in flight
            await gateway.KillAsync();
            await Task.WhenAll([load, .. others]).WaitAsync(TimeSpan.FromSeconds(60));
        }

        await using var store = await ReopenAsync();
        Assert.Equal(0, store.Corrupt);
        foreach (var id in committed)
        {
            Assert.True(store.TryGet(id, out _), $"committed row {id} was lost");
        }

        var sentIds = sent.ToHashSet();
        foreach (var row in store.Scan("default"))
        {
            Assert.Equal("openai", row.Provider);
            Assert.Equal("chat/completions", row.Path);
            Assert.True(sentIds.Contains(row.Id) || row.StatusCode is 200 or 499, $"row {row.Id} is not one the test sent");
        }
    }

    private static async Task<HashSet<string>> ListedIdsAsync(GatewayProcess gateway, int atLeast)
    {
        using var client = new HttpClient { BaseAddress = gateway.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", GatewayProcess.ManagementToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ids = new HashSet<string>();
            for (int page = 1; page <= 3; page++)
            {
                using var doc = JsonDocument.Parse(await client.GetStringAsync($"api/management/gateways/default/logs?per_page=100&page={page}"));
                foreach (var row in doc.RootElement.GetProperty("result").EnumerateArray())
                {
                    ids.Add(row.GetProperty("id").GetString()!);
                }
            }

            if (ids.Count >= atLeast)
            {
                return ids;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {ids.Count} rows committed");
            await Task.Yield();
        }
    }
}
