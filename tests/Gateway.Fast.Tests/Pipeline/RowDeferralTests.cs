using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Logging;
using Gateway.Fast.Pipeline.Stages;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Fast.Tests.Pipeline;

/// <summary>
/// Log rows are built after their response (<see cref="RowDeferral"/>): every one still reaches the log, past the bound
/// on deferred rows, with the log's queue full, and when the gateway stops while rows wait.
/// </summary>
public sealed class RowDeferralTests : SimulatorTestBase
{
    private const string Logs = "client/v4/accounts/acct/ai-gateway/gateways/default/logs";

    // Plain answers with usage, and streams without it (their rows estimate the tokens after the response).
    private static HttpRequestMessage Chat(GatewayServer gateway, int i)
    {
        bool stream = i % 2 == 1;
        string body = $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"row {{i}}"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Address, "v1/acct/default/openai/chat/completions"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-deferral-test");
        return request;
    }

    private static async Task<string[]> BurstAsync(GatewayServer gateway, int count)
    {
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var response = await gateway.Client.SendAsync(Chat(gateway, i));
            await response.Content.LoadIntoBufferAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Headers.GetValues("cf-aig-log-id").Single();
        }));
    }

    private static async Task<HashSet<string>> ListedIdsAsync(GatewayServer gateway, int expected)
    {
        await gateway.WaitForDeferredRowsAsync(DateTime.UtcNow.AddSeconds(20));
        await gateway.Services.GetRequiredService<ILogStore>().FlushAsync(CancellationToken.None);
        using var client = gateway.ManagementClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"{Logs}?per_page=50&page=1"));
        Assert.Equal(expected, doc.RootElement.GetProperty("result_info").GetProperty("total_count").GetInt32());
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var store = gateway.Services.GetRequiredService<ILogStore>();
        foreach (var row in store.Scan("default"))
        {
            ids.Add(row.Id);
        }

        return ids;
    }

    [Fact]
    public async Task ABurst_LeavesOneRowPerRequest()
    {
        await using var gateway = await GatewayServer.StartAsync(Simulator, DataPath);

        var sent = await BurstAsync(gateway, 200);

        Assert.Equal(sent.ToHashSet(), await ListedIdsAsync(gateway, sent.Length));
    }

    [Fact]
    public async Task PastTheBound_WithTheLogQueueFull_NoRowIsDropped()
    {
        // Two rows may wait after their response and the log's queue holds one: most requests of the burst write their
        // own row, and wait for room in the queue, before they end.
        await using var gateway = await GatewayServer.StartAsync(Simulator, DataPath, new Dictionary<string, string?>
        {
            ["Gateway:Logs:QueueCapacity"] = "1",
            ["Gateway:Logs:MaxDeferredRows"] = "2",
        });

        var sent = await BurstAsync(gateway, 120);

        Assert.Equal(sent.ToHashSet(), await ListedIdsAsync(gateway, sent.Length));
    }

    [Fact]
    public async Task ARowStillWaitingAtShutdown_IsThereAfterRestart()
    {
        HeldLogStore held = null!;
        var gateway = await GatewayServer.StartAsync(Simulator, DataPath, configure: builder =>
            builder.Host.UseServiceProviderFactory(new LastRegistration(services =>
                services.AddSingleton<ILogStore>(sp => held = new HeldLogStore(sp.GetRequiredService<FasterLogStore>())))));
        string id = (await BurstAsync(gateway, 1)).Single();
        await held.Arrived; // the request has ended and its row waits at the gate, not yet in the log's queue
        Assert.Equal(1, gateway.Services.GetRequiredService<RowDeferral>().InFlight);

        // The gate opens only once the host has stopped (Kestrel drained, hosted services stopped), as the container
        // begins to dispose: the row must still reach the log before the log closes.
        gateway.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(held.Open);
        await gateway.DisposeAsync();

        await using var restarted = await GatewayServer.StartAsync(Simulator, DataPath);
        Assert.True(restarted.Services.GetRequiredService<ILogStore>().TryGet(id, out var row));
        Assert.Equal(200, row.StatusCode);
    }

    /// <summary>Adds registrations after the gateway's own (the builder's callback runs before them), so they win.</summary>
    private sealed class LastRegistration(Action<IServiceCollection> add) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            add(services);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
    }
}
