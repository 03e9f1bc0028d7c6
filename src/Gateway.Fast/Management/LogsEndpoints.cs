using Gateway.Fast.Access;
using Gateway.Fast.Fleet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Fast.Management;

/// <summary>Maps the logs API and analytics under both management prefixes, behind the management token.</summary>
public static class LogsEndpoints
{
    /// <summary>Maps <c>…/gateways/{gateway}/logs[/{id}[/request|/response]]</c> and <c>…/gateways/{gateway}/analytics</c> on
    /// <c>/client/v4/accounts/{account}/ai-gateway</c> and <c>/api/management</c>, and <c>/api/management/analytics</c> over every gateway.</summary>
    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // In fleet mode the same routes answer for every live replica; on one node no fleet code is mapped.
        Action<RouteGroupBuilder> map = FleetLogsEndpoints.IsFleet(app) ? FleetLogsEndpoints.Map : Map;
        map(app.MapGroup("/client/v4/accounts/{account}/ai-gateway/gateways/{gateway}").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        map(app.MapGroup("/api/management/gateways/{gateway}").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        var all = FleetLogsEndpoints.IsFleet(app) ? FleetLogsEndpoints.MapAllAnalytics(app) : app.MapGet("/api/management/analytics", AnalyticsHandlers.GetAll);
        all.AddEndpointFilter(ManagementAuthFilter.InvokeAsync);
        return app;
    }

    private static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/logs", LogsHandlers.List);
        group.MapDelete("/logs", LogsHandlers.Delete);
        group.MapGet("/logs/{id}", LogsHandlers.Get);
        group.MapPatch("/logs/{id}", LogsHandlers.Patch);
        group.MapGet("/logs/{id}/request", LogsHandlers.Request);
        group.MapGet("/logs/{id}/response", LogsHandlers.Response);
        group.MapGet("/analytics", AnalyticsHandlers.Get);
    }
}
