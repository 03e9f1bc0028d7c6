using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Gateway.Fast.Tests.Infrastructure;

/// <summary>Microsoft's Garnet, a RESP server written in .NET, running inside the test process on a free loopback port: the
/// fleet tests run against it to check that what the gateway asks of Redis (hashes, pub/sub, Lua scripts, TTLs, TIME) works
/// on Garnet too. Lua is off in Garnet by default; the gateway's rate limiter and purge need it, run atomically. Memory only:
/// no storage tier, no checkpoints, so nothing is written to disk.</summary>
public sealed class GarnetHost : IAsyncDisposable
{
    private readonly GarnetServer _server;

    private GarnetHost(int port)
    {
        Port = port;
        _server = new GarnetServer(
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
            // Without it Garnet 2.2 runs scripts without locking their keys, so two scripts on one key interleave: 20,000
            // read-increment-write scripts from 8 clients left 10,597 to 19,041, and the shared rate limit over-admitted.
            "--lua-transaction-mode",
            // A small log and index: the tests hold a few hundred keys, and Garnet's defaults reserve gigabytes.
            "--memory", "64m",
            "--index", "16m",
        ]);
    }

    public int Port { get; }

    /// <summary><c>redis://127.0.0.1:{port}</c>, database 0.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts Garnet; it accepts connections when this returns.</summary>
    public static GarnetHost Start()
    {
        var host = new GarnetHost(FreePort());
        host._server.Start();
        return host;
    }

    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
