using Gateway.Fast.Simulator;

namespace Gateway.Fast.Tests.Infrastructure;

/// <summary>
/// A test class whose gateways (in process or as processes) each test starts itself: the simulator as every provider
/// and a data folder, both fresh for each test and removed after it.
/// </summary>
public abstract class SimulatorTestBase : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    private protected SimulatorHost Simulator { get; private set; } = null!;

    /// <summary>The test's data folder (<c>GATEWAY_DATA</c>), kept across restarts within the test.</summary>
    private protected string DataPath => _data.Path;

    public virtual async Task InitializeAsync() => Simulator = await SimulatorHost.StartAsync();

    public virtual async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        _data.Dispose();
    }
}
