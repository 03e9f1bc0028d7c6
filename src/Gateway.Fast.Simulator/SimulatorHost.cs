using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Simulator;

/// <summary>An in-process simulator on real Kestrel, for tests: <c>await using var sim = await SimulatorHost.StartAsync();</c></summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorStats _stats;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        _stats = app.Services.GetRequiredService<SimulatorStats>();
        BaseAddress = baseAddress;
        BaseUrl = baseAddress.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The listening address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    /// <remarks>
    /// Like every absolute <see cref="Uri"/> with an empty path it ends in <c>/</c>, so
    /// <c>new Uri(BaseAddress, "v1/chat/completions")</c> and <c>HttpClient.BaseAddress = BaseAddress</c> with relative
    /// paths without a leading slash both work. For string concatenation use <see cref="BaseUrl"/>.
    /// </remarks>
    public Uri BaseAddress { get; }

    /// <summary>The listening address without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>: append <c>/v1</c> etc.</summary>
    public string BaseUrl { get; }

    /// <summary>Requests received so far (every route, including echo and errors).</summary>
    public long RequestCount => _stats.RequestCount;

    /// <summary>Responses cut short because their client disconnected during a delay, a paced stream or a stall.</summary>
    public long ClientAbortCount => _stats.ClientAbortCount;

    /// <summary>Completes when the simulator sees its next client disconnect; each one completes one wait.</summary>
    public Task WaitForClientAbortAsync(CancellationToken cancellationToken = default) => _stats.WaitForClientAbortAsync(cancellationToken);

    /// <summary>Binds Kestrel to <paramref name="url"/> (port 0 picks a free port) and returns once it is listening.</summary>
    public static Task<SimulatorHost> StartAsync(string url = "http://127.0.0.1:0", CancellationToken ct = default) =>
        StartAsync(url, http2Only: false, ct);

    /// <summary>
    /// As above; with <paramref name="http2Only"/> the endpoint speaks only HTTP/2, which over cleartext is how Kestrel
    /// takes HTTP/2 with prior knowledge (h2c): an upstream for a gateway that calls it so.
    /// </summary>
    public static async Task<SimulatorHost> StartAsync(string url, bool http2Only, CancellationToken ct = default)
    {
        // No appsettings reload: dozens of hosts in one test run would each watch the output folder.
        string[] args = http2Only
            ? ["--hostBuilder:reloadConfigOnChange=false", "--Kestrel:EndpointDefaults:Protocols=Http2"]
            : ["--hostBuilder:reloadConfigOnChange=false"];
        WebApplication app = SimulatorApp.Build(args, url);
        try
        {
            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
            string? first = null;
            foreach (string address in addresses.Addresses)
            {
                first = address;
                break;
            }

            if (first is null)
            {
                throw new InvalidOperationException("Kestrel reported no listening address.");
            }

            return new SimulatorHost(app, new Uri(first));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stalled streams hold connections open; do not wait the default 30 s for them to drain.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
