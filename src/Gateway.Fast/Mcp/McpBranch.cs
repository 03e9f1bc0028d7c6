using System.Diagnostics;
using Gateway.Fast.Access;
using Gateway.Fast.Logging;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;

namespace Gateway.Fast.Mcp;

/// <summary>
/// The MCP server's own service container and pipeline, built by the first <c>/mcp</c> or <c>/sse</c> request and
/// disposed with the app's container.
/// </summary>
/// <remarks>
/// Registering the SDK in the app's container made every gateway load its assemblies and types at start (its options
/// setups, handlers and a hosted service that tracks sessions, which a stateless server has none of): 2.5-3 MiB of idle
/// memory for an endpoint most gateways never serve. Here the SDK's services live in a container of their own, which takes
/// from the app's only what the tools, the token check, logging and routing read. Each MCP request runs in a scope of that
/// container, so the SDK finds its services through <see cref="HttpContext.RequestServices"/> as it would in the app's.
/// Nothing in this type's fields or signatures names an SDK type: the JIT loads the SDK when <see cref="Build"/> runs.
/// </remarks>
internal sealed class McpBranch(IServiceProvider app) : IAsyncDisposable
{
    private readonly Lazy<(ServiceProvider Services, RequestDelegate Pipeline)> _branch = new(() => Build(app));

    public async Task InvokeAsync(HttpContext context)
    {
        var (services, pipeline) = _branch.Value;
        var outer = context.RequestServices;
        await using var scope = services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await pipeline(context);
        }
        finally
        {
            context.RequestServices = outer;
        }
    }

    public ValueTask DisposeAsync() => _branch.IsValueCreated ? _branch.Value.Services.DisposeAsync() : ValueTask.CompletedTask;

    private static (ServiceProvider Services, RequestDelegate Pipeline) Build(IServiceProvider app)
    {
        var services = new ServiceCollection();
        // From the app: what the tools read, the management token's check, and what logging and routing's middleware take.
        services.AddSingleton(app.GetRequiredService<IGatewayStore>());
        services.AddSingleton(app.GetRequiredService<ILogStore>());
        services.AddSingleton(app.GetRequiredService<ManagementTokenVerifier>());
        services.AddSingleton(app.GetRequiredService<ILoggerFactory>());
        var diagnostics = app.GetRequiredService<DiagnosticListener>();
        services.AddSingleton(diagnostics);
        services.AddSingleton<DiagnosticSource>(diagnostics);
        services.AddSingleton(app.GetRequiredService<IHostApplicationLifetime>());
        services.AddSingleton(app.GetRequiredService<IWebHostEnvironment>());
        services.AddSingleton<IHostEnvironment>(static sp => sp.GetRequiredService<IWebHostEnvironment>());
        services.AddLogging();
        services.AddMetrics();
        services.AddRoutingCore();
        McpEndpoints.AddServer(services);
        var provider = services.BuildServiceProvider();

        var branch = new ApplicationBuilder(provider);
        branch.UseRouting();
        branch.UseEndpoints(static endpoints =>
        {
            endpoints.MapMcp(McpEndpoints.Path).AddEndpointFilter(McpAuthFilter.InvokeAsync);
            endpoints.MapMcp(McpEndpoints.SsePath).AddEndpointFilter(McpAuthFilter.InvokeAsync);
        });
        return (provider, branch.Build());
    }
}
