using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Fleet;

/// <summary>The logs API and analytics routes in fleet mode: the same paths as on one node, answered for every live replica.</summary>
public static class FleetLogsEndpoints
{
    /// <summary>True when fleet mode is on (the routes below are mapped in place of the single node's).</summary>
    public static bool IsFleet(IEndpointRouteBuilder app) => app.ServiceProvider.GetService<FleetPeers>() is not null;

    /// <summary>Maps the per-gateway routes on <paramref name="group"/> (whose auth filter the caller has added).</summary>
    public static void Map(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/logs", FleetLogsHandlers.List);
        group.MapDelete("/logs", FleetLogsHandlers.Delete);
        group.MapGet("/logs/{id}", FleetLogsHandlers.Get);
        group.MapPatch("/logs/{id}", FleetLogsHandlers.Patch);
        group.MapGet("/logs/{id}/request", FleetLogsHandlers.Request);
        group.MapGet("/logs/{id}/response", FleetLogsHandlers.Response);
        group.MapGet("/analytics", FleetAnalyticsHandlers.Get);
    }

    /// <summary>Maps <c>/api/management/analytics</c> over every gateway (the caller adds the auth filter).</summary>
    public static RouteHandlerBuilder MapAllAnalytics(IEndpointRouteBuilder app)
        => app.MapGet("/api/management/analytics", (Delegate)FleetAnalyticsHandlers.GetAll); // a route handler, not a RequestDelegate
}
