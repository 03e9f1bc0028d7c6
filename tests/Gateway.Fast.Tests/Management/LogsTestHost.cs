using System.Net.Http.Headers;
using Gateway.Fast.Hosting;
using Gateway.Fast.Logging;
using Gateway.Fast.Management;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Tests.Management;

/// <summary>The real gateway on 127.0.0.1:0 with <see cref="LogsMemoryStore"/> as its <see cref="ILogStore"/>, and gateways
/// <c>gw</c>, <c>gw-patch</c>, <c>gw-del</c> created through the API. Shared by the logs API tests as a class fixture.</summary>
public sealed class LogsTestHost : IAsyncLifetime
{
    public const string Token = ManagementTestHost.Token;

    private readonly TempDirectory _dir = new();
    private WebApplication _app = null!;

    public LogsMemoryStore Store { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var config = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["GATEWAY_DATA"] = _dir.Path,
            [ManagementTokenVerifier.ConfigurationKey] = Token,
            ["Gateway:Cache:PageSizeBits"] = "20",
            ["Gateway:Cache:MemorySizeBits"] = "22",
            ["Gateway:Cache:IndexSizeBits"] = "16",
            ["Gateway:Cache:SegmentSizeBits"] = "22",
        };
        _app = GatewayHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);

            // GatewayHost registers its services after this hook runs; a factory sees the finished collection, so the
            // memory store replaces whatever ILogStore the host registers (or fills the gap while it registers none).
            builder.Host.UseServiceProviderFactory(new ReplacingFactory(Store));
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address + "/") };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        foreach (var id in new[] { "gw", "gw-patch", "gw-del" })
        {
            var body = $$"""{"id":"{{id}}","cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0}""";
            var created = await SendAsync(HttpMethod.Post, "/client/v4/accounts/acct/ai-gateway/gateways", body);
            Assert.Equal(System.Net.HttpStatusCode.OK, created.Status);
        }
    }

    public Task<V4Response> SendAsync(HttpMethod method, string path, string? body = null, HttpClient? client = null)
        => V4Response.SendAsync(client ?? Client, method, path, body);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    private sealed class ReplacingFactory(LogsMemoryStore store) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            services.RemoveAll<ILogStore>();
            services.AddSingleton<ILogStore>(store);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
    }
}
