using System.Net;
using System.Text.Json;
using Gateway.Fast.Caching;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Tests.Hosting;

/// <summary><c>/health</c>'s <c>memory</c> and <c>descriptors</c> sections, and the same figures in <c>/metrics</c>.</summary>
public sealed class ResourceHealthTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public ResourceHealthTests(GatewayWithSimulator env) => _env = env;

    [Fact]
    public async Task Health_ReportsTheProcessMemoryAndTheCacheShare()
    {
        using var doc = await HealthAsync();
        var memory = doc.RootElement.GetProperty("memory");
        long heap = memory.GetProperty("managed_heap_bytes").GetInt64();
        long committed = memory.GetProperty("gc_committed_bytes").GetInt64();
        long cache = memory.GetProperty("cache_bytes").GetInt64();

        Assert.InRange(heap, 1, committed);
        Assert.Equal(_env.Gateway.Services.GetRequiredService<ICacheStore>().MemoryBytes, cache);
        Assert.True(cache > 0);
        if (OperatingSystem.IsLinux())
        {
            // Resident memory holds at least the committed heap pages the cache's pinned pages live in.
            Assert.InRange(memory.GetProperty("resident_bytes").GetInt64(), cache, long.MaxValue);
        }
    }

    [Fact]
    public async Task Health_ReportsDescriptorsInUseAgainstTheLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc is Linux's; elsewhere both figures are null
        }

        using var doc = await HealthAsync();
        var descriptors = doc.RootElement.GetProperty("descriptors");
        int open = descriptors.GetProperty("open").GetInt32();
        long limit = descriptors.GetProperty("limit").GetInt64();

        // At least stdin/stdout/stderr, the listening socket and the data files; below the soft limit, since we are running.
        Assert.InRange(open, 4, limit - 1);
        Assert.Equal(limit, ReadSoftLimit());
    }

    [Fact]
    public async Task Metrics_CarryTheSameMemoryAndDescriptorFigures()
    {
        var text = await _env.Gateway.Client.GetStringAsync("metrics");

        Assert.Matches(@"(?m)^gateway_memory_bytes\{kind=""managed_heap""\} [1-9]", text);
        Assert.Matches(@"(?m)^gateway_memory_bytes\{kind=""gc_committed""\} [1-9]", text);
        Assert.Matches(@"(?m)^gateway_memory_bytes\{kind=""cache""\} [1-9]", text);
        if (OperatingSystem.IsLinux())
        {
            Assert.Matches(@"(?m)^gateway_memory_bytes\{kind=""resident""\} [1-9]", text);
            Assert.Matches(@"(?m)^gateway_file_descriptors\{kind=""open""\} [1-9]", text);
            Assert.Matches($@"(?m)^gateway_file_descriptors\{{kind=""limit""\}} {ReadSoftLimit()}$", text);
        }
    }

    private async Task<JsonDocument> HealthAsync()
    {
        using var response = await _env.Gateway.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The soft RLIMIT_NOFILE as the kernel reports it for this (the test) process, which hosts the gateway.</summary>
    private static long ReadSoftLimit()
    {
        var line = File.ReadLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
    }
}
