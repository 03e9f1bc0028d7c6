using System.Net.Http;
using System.Text;
using Gateway.Fast.Simulator;

using Xunit;

namespace Gateway.Fast.Tests.Simulator;

/// <summary>One simulator on 127.0.0.1:0 and one client, shared by the tests of a class.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private SimulatorHost? _host;

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("Simulator not started.");

    public HttpClient Client { get; } = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public HttpRequestMessage Post(string path, string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Host.BaseUrl + path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response = await Client.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return (response, body);
    }
}
