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

    /// <summary>Registers the MCP server, stateless, with the gateway and log tools.</summary>
    public static IServiceCollection AddGatewayMcp(this IServiceCollection services)
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
        return services;
    }

    /// <summary>Maps <see cref="Path"/> and <see cref="SsePath"/>, each behind the management token.</summary>
    public static IEndpointRouteBuilder MapGatewayMcp(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMcp(Path).AddEndpointFilter(McpAuthFilter.InvokeAsync);
        app.MapMcp(SsePath).AddEndpointFilter(McpAuthFilter.InvokeAsync);
        return app;
    }

    private static string ServerVersion => typeof(McpEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
