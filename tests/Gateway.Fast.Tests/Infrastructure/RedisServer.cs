using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Fast.Tests.Infrastructure;

/// <summary>A real <c>redis-server</c> on a free loopback port, as a child process without persistence; it can be killed and
/// started again on the same port (the outage and recovery tests). <c>.ci/run</c> installs it.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary><c>redis://127.0.0.1:{port}</c>, database 0.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts redis-server on <see cref="Port"/> (again, after <see cref="KillAsync"/>) and returns once it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Assert.True(_process is null or { HasExited: true }, "redis-server is already running");
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.Path,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _folder.Path })
        {
            info.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: `apt-get install redis-server` (.ci/run does it).", e);
        }

        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first == ready.Task, $"redis-server on port {Port} exited during start-up");
    }

    /// <summary>SIGKILL: the connection drops without a goodbye, as a crashed or partitioned Redis.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _folder.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
