using System.Net;
using System.Text.Json;
using Gateway.Fast.Caching;
using Gateway.Fast.Hosting;
using Gateway.Fast.Logging;
using Gateway.Fast.Metrics;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Integration;

/// <summary><c>/health</c> and the storage gauges show the log folder against its disk budget, and warn before it is reached.</summary>
public sealed class StorageHealthTests : IDisposable
{
    // 32 KiB log segments under a 512 KiB budget: the warning (80 %) comes after ~230 rows with 1,500-byte bodies.
    private const long Budget = 512 * 1024;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<GatewayServer> StartAsync() => GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["urls"] = "http://127.0.0.1:0",
        ["GATEWAY_DATA"] = _dir.Path,
        ["CF_AIG_MANAGEMENT_API_TOKEN"] = GatewayServer.ManagementToken,
        ["Gateway:Logs:PageSizeBits"] = "14",
        ["Gateway:Logs:MemorySizeBits"] = "16",
        ["Gateway:Logs:SegmentSizeBits"] = "15",
        ["Gateway:Logs:MaxDiskBytes"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<JsonElement> LogsSectionAsync(GatewayServer server)
    {
        using var response = await server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        return doc.RootElement.GetProperty("logs").Clone();
    }

    /// <summary>Appends rows with bodies, flushing every ten, until <paramref name="done"/> holds (bounded by a row count, not a time).</summary>
    private static async Task<int> AppendUntilAsync(FasterLogStore store, int from, Func<LogStorageStatus, bool> done)
    {
        var n = from;
        for (; n < from + 5_000 && !done(store.StorageStatus()); n += 10)
        {
            for (var i = n; i < n + 10; i++)
            {
                await store.AppendAsync(Entry(Row("default", i), "{}", new string('x', 1500)), default);
            }

            await store.FlushAsync(default);
        }

        Assert.True(done(store.StorageStatus()), $"condition not reached after {n - from} rows");
        return n;
    }

    [Fact]
    public async Task Health_WarnsFromEightyPercentOfTheLogBudget_AndIsBackUnderItAfterTheSweep()
    {
        await using var server = await StartAsync();
        var store = server.Services.GetRequiredService<FasterLogStore>();

        var logs = await LogsSectionAsync(server);
        Assert.Equal(Budget, logs.GetProperty("budget_bytes").GetInt64());
        Assert.Equal((long)(Budget * 0.8), logs.GetProperty("warning_at_bytes").GetInt64());
        Assert.False(logs.GetProperty("warning").GetBoolean());
        Assert.Equal(0, logs.GetProperty("rows").GetInt64());

        // A margin of a few KiB: FasterLog writes each commit's file before it removes the previous one (512 B each).
        var n = await AppendUntilAsync(store, 0, s => s.UsedBytes >= s.WarningBytes + 4096);
        logs = await LogsSectionAsync(server);
        Assert.True(logs.GetProperty("warning").GetBoolean(), logs.ToString());
        Assert.True(logs.GetProperty("bytes_used").GetInt64() >= logs.GetProperty("warning_at_bytes").GetInt64());
        Assert.Equal(n, logs.GetProperty("rows").GetInt64());

        // Past the budget, one maintenance pass (the timer's own method, driven here) brings the folder back under it.
        await AppendUntilAsync(store, n, s => s.UsedBytes > Budget);
        var maintenance = server.Services.GetServices<IHostedService>().OfType<LogMaintenanceService>().Single();
        await maintenance.SweepOnceAsync(CancellationToken.None);

        logs = await LogsSectionAsync(server);
        Assert.True(logs.GetProperty("bytes_used").GetInt64() <= Budget, logs.ToString());
        Assert.False(logs.GetProperty("over_budget").GetBoolean());
        Assert.True(store.Evicted > 0);
    }

    [Fact]
    public async Task Health_ShowsTheCacheFolderBesideItsBudget()
    {
        await using var server = await StartAsync();

        using var response = await server.Client.GetAsync("health");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var cache = doc.RootElement.GetProperty("cache");

        Assert.Equal(new FasterCacheOptions().MaxLogBytes, cache.GetProperty("budget_bytes").GetInt64());
        Assert.True(cache.GetProperty("bytes_used").GetInt64() >= 0);
    }

    [Fact]
    public async Task StorageGauges_ReportTheFoldersTheirBudgetsAndTheRows()
    {
        await using var store = FasterLogStore.Open(Path.Combine(_dir.Path, "logs"), new FasterLogStoreOptions
        {
            CommitIntervalMs = 5,
            PageSizeBits = 14,
            MemorySizeBits = 16,
            SegmentSizeBits = 15,
            IndexSizeBits = 14,
            IndexMemorySizeBits = 18,
            MaxDiskBytes = Budget,
        });
        for (var i = 0; i < 7; i++)
        {
            await store.AppendAsync(Entry(Row("g", i)), default);
        }

        await store.FlushAsync(default);
        var cacheFolder = Directory.CreateDirectory(Path.Combine(_dir.Path, "cache")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(cacheFolder, "segment"), new byte[1234]);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        StorageHealth.Track(new GatewayMetrics(registry), store, new CacheDiskUsage(cacheFolder, 4096));

        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        var logsLine = text.Split('\n').Single(l => l.StartsWith("gateway_storage_bytes{store=\"logs\"} ", StringComparison.Ordinal));
        Assert.True(double.Parse(logsLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0, logsLine);
        Assert.Contains($"gateway_storage_budget_bytes{{store=\"logs\"}} {Budget}", text);
        Assert.Contains("gateway_storage_bytes{store=\"cache\"} 1234", text);
        Assert.Contains("gateway_storage_budget_bytes{store=\"cache\"} 4096", text);
        Assert.Contains("gateway_log_rows 7", text);
    }
}
