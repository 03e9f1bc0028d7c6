using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Fast.Simulator;
using Gateway.Fast.Tests.Hardening;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Tests.Forwarding;

/// <summary>
/// Each upstream failure is reported once, with its kind: one log line from the forwarding error reporter and one count in
/// <c>gateway_upstream_errors_total{gateway,provider,kind}</c>, on a real gateway in front of the simulator. Each test uses a
/// gateway id of its own, so the process-wide metrics of other tests never count here.
/// </summary>
public sealed class ForwardingErrorReporterTests : IAsyncLifetime
{
    private const string ReporterCategory = "Gateway.Fast.Forwarding.ForwardingErrorReporter";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _data = new();
    private readonly CapturingLoggerProvider _logLines = new();
    private readonly string _gatewayId = "errors-" + Guid.NewGuid().ToString("N")[..10];
    private SimulatorHost _simulator = null!;
    private GatewayServer _gateway = null!;

    public async Task InitializeAsync()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        _simulator = await SimulatorHost.StartAsync();
        _gateway = await GatewayServer.StartAsync(_simulator, _data.Path, new Dictionary<string, string?>
        {
            ["Gateway:Providers:mistral:BaseUrl"] = $"http://127.0.0.1:{closedPort}", // nothing listens there
        }, builder => builder.Logging.AddProvider(_logLines));

        using var management = _gateway.ManagementClient();
        using var created = await management.PostAsJsonAsync("api/management/gateways", new { id = _gatewayId, collect_logs = false });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AnUpstreamNobodyListensOn_IsReportedOnce_AsConnectionRefused_WithoutTheKeyInItsUrl()
    {
        const string key = "AIzaReporterTestQueryKey0123456789";
        using var request = Chat("mistral/v1/chat/completions?key=" + key, stream: false);
        request.Headers.Authorization = new("Bearer", "sk-reporter-header-key-0123456789");

        using var response = await _gateway.Client.SendAsync(request).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var line = Assert.Single(ReporterLines());
        Assert.Contains("connection_refused", line);
        Assert.Contains("provider mistral", line);
        Assert.Contains("ConnectionRefused", line); // the socket error
        Assert.DoesNotContain(_logLines.Lines, l => l.Contains(key) || l.Contains("sk-reporter-header-key"));
        Assert.Equal(1, await CountAsync("mistral", "connection_refused"));
        Assert.Equal(1, await CountAsync("mistral", kind: null));
    }

    [Fact]
    public async Task AnUpstreamSlowerThanTheRequestTimeout_IsReportedOnce_AsTimeout()
    {
        using var request = Chat("openai/chat/completions", stream: false);
        request.Headers.Add("cf-aig-request-timeout", "50");
        request.Headers.Add("x-sim-delay-ms", "5000");

        using var response = await _gateway.Client.SendAsync(request).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var line = Assert.Single(ReporterLines());
        Assert.Contains("Upstream exchange failed: timeout", line);
        Assert.Contains("provider openai", line);
        Assert.Equal(1, await CountAsync("openai", "timeout"));
        Assert.Equal(1, await CountAsync("openai", kind: null));
    }

    [Fact]
    public async Task AStreamTheUpstreamResetsMidway_IsReportedOnce_AsConnectionReset_WithTheStatusSent()
    {
        using var request = Chat("openai/chat/completions", stream: true);
        request.Headers.Add("x-sim-tokens", "50");
        request.Headers.Add("x-sim-tokens-per-second", "1000");
        request.Headers.Add("x-sim-reset-after", "5");

        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        string text = await response.Content.ReadAsStringAsync().WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: error", text); // the relay ended the stream after reporting
        var line = Assert.Single(ReporterLines());
        Assert.Contains("Upstream exchange failed: connection_reset", line);
        Assert.Contains("status 200", line);
        Assert.Equal(1, await CountAsync("openai", "connection_reset"));
        Assert.Equal(1, await CountAsync("openai", kind: null));
    }

    [Fact]
    public async Task AWholeAnswer_IsNotReported()
    {
        using var response = await _gateway.Client.SendAsync(Chat("openai/chat/completions", stream: true)).WaitAsync(Patience);
        await response.Content.ReadAsStringAsync().WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(ReporterLines());
        Assert.Equal(0, await CountAsync("openai", kind: null));
    }

    private HttpRequestMessage Chat(string providerPath, bool stream)
    {
        string body = stream
            ? """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""
            : """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Address, $"v1/acct/{_gatewayId}/{providerPath}"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-test");
        return request;
    }

    private List<string> ReporterLines() => _logLines.Lines.Where(l => l.Contains(ReporterCategory) && l.Contains(_gatewayId)).ToList();

    /// <summary>This test's gateway's count of one kind of upstream error (every kind when null), as <c>GET /metrics</c> shows it.</summary>
    private async Task<double> CountAsync(string provider, string? kind)
    {
        string text = await _gateway.Client.GetStringAsync("metrics");
        var pattern = new Regex("^gateway_upstream_errors_total\\{gateway=\"" + Regex.Escape(_gatewayId) + "\",provider=\"" + Regex.Escape(provider)
            + "\",kind=\"(?<kind>[a-z_]+)\"\\} (?<value>[0-9.e+]+)$", RegexOptions.Multiline);
        return pattern.Matches(text).Where(m => kind is null || m.Groups["kind"].Value == kind)
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
