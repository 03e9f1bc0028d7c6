using Gateway.Fast.Hosting;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Tests.Hosting;

/// <summary><c>Gateway:Server</c> reaches Kestrel and its socket transport, with edge-proxy defaults.</summary>
public sealed class ServerLimitsTests
{
    [Fact]
    public async Task Defaults_AreADeepBacklogAndAConnectionCapTheDescriptorLimitHolds()
    {
        using var data = new TempDirectory();
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["GATEWAY_DATA"] = data.Path,
        });

        var kestrel = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(4096, gateway.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
        Assert.Equal(new ServerLimitsOptions().EffectiveMaxConcurrentConnections(ProcessResources.DescriptorLimit()), kestrel.Limits.MaxConcurrentConnections);
        Assert.Null(kestrel.Limits.MaxConcurrentUpgradedConnections);
        ThreadPool.GetMinThreads(out int workers, out _);
        Assert.True(workers >= Environment.ProcessorCount + new ServerLimitsOptions().BlockingIoThreads);
    }

    [Theory]
    [InlineData(20_000L, null, 9_488L)] // two descriptors a stream, 1,024 kept for files and the runtime
    [InlineData(1_000L, null, null)] // too few to reserve: no cap rather than a nonsensical one
    [InlineData(null, null, null)] // unknown or unlimited
    [InlineData(20_000L, 500L, 500L)] // a configured cap wins
    public void TheConnectionCap_LeavesEachStreamItsUpstreamDescriptor(long? descriptorLimit, long? configured, long? expected)
    {
        var options = new ServerLimitsOptions { MaxConcurrentConnections = configured };
        Assert.Equal(expected, options.EffectiveMaxConcurrentConnections(descriptorLimit));
    }

    [Fact]
    public async Task Configuration_SetsBacklogAndConnectionLimits()
    {
        using var data = new TempDirectory();
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["GATEWAY_DATA"] = data.Path,
            ["Gateway:Server:ListenBacklog"] = "1234",
            ["Gateway:Server:MaxConcurrentConnections"] = "500",
            ["Gateway:Server:MaxConcurrentUpgradedConnections"] = "20",
        });

        var kestrel = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(1234, gateway.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
        Assert.Equal(500, kestrel.Limits.MaxConcurrentConnections);
        Assert.Equal(20, kestrel.Limits.MaxConcurrentUpgradedConnections);
        using var health = await gateway.Client.GetAsync("health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }
}
