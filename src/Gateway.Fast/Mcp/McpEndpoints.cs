using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore;

namespace Gateway.Fast.Mcp;

/// <summary>
/// The MCP server (cold path): Streamable HTTP at <c>/mcp</c>, and the same handler at <c>/sse</c> as Cloudflare's AI
/// Gateway MCP server serves both, behind the management token (docs/gateway-api.md#mcp-server). Tools read the gateway
/// and log stores in process.
/// </summary>
public static class McpEndpoints
{
    /// <summary>The Streamable HTTP endpoint.</summary>
    public const string Path = "/mcp";

    /// <summary>The alias Cloudflare's server also answers on; it is Streamable HTTP too, not the legacy SSE transport.</summary>
    public const string SsePath = "/sse";

    /// <summary>Registers the holder of the MCP server's own container (<see cref="McpBranch"/>); the SDK's services go
    /// there, built on the first MCP request, not into the app's container.</summary>
    public static IServiceCollection AddGatewayMcp(this IServiceCollection services)
    {
        services.AddSingleton<McpBranch>();
        return services;
    }

    /// <summary>
    /// Serves <see cref="Path"/> and <see cref="SsePath"/>, each behind the management token, from a branch of the pipeline
    /// built on the first MCP request; place it before the app's routing.
    /// </summary>
    /// <remarks>
    /// Mapping the MCP endpoints makes the SDK build its tools (each tool's JSON schema by reflection, its serializer
    /// contracts): at start, that loaded and compiled the SDK, Microsoft.Extensions.AI and much of System.Text.Json's
    /// reflection path into every gateway, most of which never serve an assistant. The branch has its own routing and
    /// services, so the app's endpoints never see <c>/mcp</c>, and the proxy's paths never reach the branch.
    /// </remarks>
    public static IApplicationBuilder UseGatewayMcp(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var branch = app.ApplicationServices.GetRequiredService<McpBranch>();
        app.MapWhen(static context => IsMcpPath(context.Request.Path), mcp => mcp.Run(branch.InvokeAsync));
        return app;
    }

    /// <summary>The MCP server, stateless, with the gateway and log tools: into the branch's container.</summary>
    internal static void AddServer(IServiceCollection services)
    {
        services.AddMcpServer(static options =>
            {
                options.ServerInfo = new() { Name = "gateway-fast", Title = "Gateway.Fast AI gateway logs", Version = ServerVersion };
                options.ServerInstructions =
                    "Read-only access to this AI gateway's gateways, request logs and analytics. Start with list_gateways, " +
                    "then list_logs (filters: success, cached, model, provider, dates) or search_logs (free text, bodies included), " +
                    "then get_log_details / get_log_request_body / get_log_response_body for one log, and get_analytics for totals.";
            })
            .WithHttpTransport(static options =>
            {
                // No session state: every POST stands alone, so nothing is held between an assistant's calls.
                options.SessionMode = HttpServerSessionMode.Stateless;
            })
            .WithTools<GatewayTools>()
            .WithTools<LogQueryTools>()
            .WithTools<LogRecordTools>()
            .WithTools<AnalyticsTools>();
    }

    private static bool IsMcpPath(PathString path) => path.StartsWithSegments(Path) || path.StartsWithSegments(SsePath);

    private static string ServerVersion => typeof(McpEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
