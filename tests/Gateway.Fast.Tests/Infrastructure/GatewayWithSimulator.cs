using Gateway.Fast.Simulator;

namespace Gateway.Fast.Tests.Infrastructure;

/// <summary>A simulator plus a gateway in front of it, on a temp data folder; one per test class (IClassFixture) or per test.</summary>
public sealed class GatewayWithSimulator : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public SimulatorHost Simulator { get; private set; } = null!;

    public GatewayServer Gateway { get; private set; } = null!;

    public string DataPath => _data.Path;

    /// <summary>The gateway URL of one provider on the <c>default</c> gateway, with a trailing slash.</summary>
    public Uri ProviderUrl(string provider, string gateway = "default") => new(Gateway.Address, $"v1/test-account/{gateway}/{provider}/");

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorHost.StartAsync();
        Gateway = await GatewayServer.StartAsync(Simulator, _data.Path);
    }

    /// <summary>Stops the gateway and starts a new process-equivalent on the same data folder.</summary>
    public async Task RestartGatewayAsync()
    {
        await Gateway.DisposeAsync();
        Gateway = await GatewayServer.StartAsync(Simulator, _data.Path);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Simulator.DisposeAsync();
        _data.Dispose();
    }
}
