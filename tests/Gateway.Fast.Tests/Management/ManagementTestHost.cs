using System.Net.Http.Headers;
using System.Text;
using Gateway.Fast.Configuration;
using Gateway.Fast.Management;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Tests.Management;

/// <summary>The storage and management API on real Kestrel at 127.0.0.1:0, over a given data folder.</summary>
public sealed class ManagementTestHost : IAsyncDisposable
{
    public const string Token = "test-management-token-0123456789";

    private readonly WebApplication _app;

    private ManagementTestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri BaseAddress { get; }

    /// <summary>Sends the management token as <c>Authorization: Bearer</c>.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ManagementTestHost> StartAsync(string dataPath, string? token = Token)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection([new(ManagementTokenVerifier.ConfigurationKey, token ?? "")]);
        builder.Services.Configure<GatewayOptions>(o => o.DataPath = dataPath);
        builder.Services.AddGatewayStorage();

        var app = builder.Build();
        app.MapManagementApi();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ManagementTestHost(app, new Uri(address));
    }

    /// <summary>Sends one request (with <see cref="Client"/> unless another is given) and reads a checked v4 envelope.</summary>
    public async Task<V4Response> SendAsync(HttpMethod method, string path, string? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await (client ?? Client).SendAsync(request);
        return await V4Response.ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
