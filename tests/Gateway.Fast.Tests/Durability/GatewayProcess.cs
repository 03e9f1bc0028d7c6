using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Fast.Tests.Durability;

/// <summary>The gateway as its own OS process (the built Gateway.Fast.dll), for tests that kill or signal it.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    public const string ManagementToken = "process-test-token";

    private readonly System.Diagnostics.Process _process;

    private GatewayProcess(System.Diagnostics.Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    /// <summary>Starts the gateway with OpenAI pointed at <paramref name="openAiBase"/>; <paramref name="environment"/> adds variables.
    /// It listens on <paramref name="port"/> (a free one when absent); a variable that sets the listening address must name that port.</summary>
    public static async Task<GatewayProcess> StartAsync(string dataPath, string openAiBase, IReadOnlyDictionary<string, string>? environment = null,
        int? port = null)
    {
        int listening = port ?? FreePort();
        var info = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(GatewayDll())!,
        };
        info.ArgumentList.Add(GatewayDll());
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listening}";
        info.Environment["GATEWAY_DATA"] = dataPath;
        info.Environment["CF_AIG_MANAGEMENT_API_TOKEN"] = ManagementToken;
        info.Environment["Gateway__Providers__openai__BaseUrl"] = openAiBase;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (string variable in Infrastructure.GatewayServer.ProviderKeyVariables)
        {
            info.Environment.Remove(variable); // the test runner's own keys stay out of the gateway
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{listening}/"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, "the gateway process exited during start-up");
            try
            {
                using var health = await gateway.Client.GetAsync("health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(DateTime.UtcNow < deadline, "the gateway process did not answer /health in time");
            await Task.Yield();
        }
    }

    /// <summary>SIGTERM: the graceful shutdown a container runtime sends.</summary>
    public async Task TerminateAsync()
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: nothing runs after it.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DotnetPath()
        => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>bin/{Configuration}/{tfm}/ of this project → the same folders of src/Gateway.Fast.</summary>
    private static string GatewayDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!;
        var repo = configuration.Parent!.Parent!.Parent!.Parent!;
        var dll = Path.Combine(repo.FullName, "src", "Gateway.Fast", "bin", configuration.Name, output.Name, "Gateway.Fast.dll");
        Assert.True(File.Exists(dll), $"Build src/Gateway.Fast first: {dll} is missing.");
        return dll;
    }
}
