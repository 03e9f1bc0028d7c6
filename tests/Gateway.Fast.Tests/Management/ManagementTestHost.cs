using System.Net.Http.Headers;
using Gateway.Fast.Management;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Management;

/// <summary>The whole gateway (<see cref="GatewayServer"/>) over a given data folder, with helpers for the v4 envelope.</summary>
public sealed class ManagementTestHost : IAsyncDisposable
{
    public const string Token = "test-management-token-0123456789";

    private readonly GatewayServer _server;

    private ManagementTestHost(GatewayServer server)
    {
        _server = server;
        Client = new HttpClient { BaseAddress = server.Address };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri BaseAddress => _server.Address;

    /// <summary>Sends the management token as <c>Authorization: Bearer</c>.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _server.Services;

    public static async Task<ManagementTestHost> StartAsync(string dataPath, string? token = Token)
        => new(await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["GATEWAY_DATA"] = dataPath,
            [ManagementTokenVerifier.ConfigurationKey] = token ?? "",
        }));

    /// <summary>Sends one request (with <see cref="Client"/> unless another is given) and reads a checked v4 envelope.</summary>
    public Task<V4Response> SendAsync(HttpMethod method, string path, string? body = null, HttpClient? client = null)
        => V4Response.SendAsync(client ?? Client, method, path, body);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
