using System.Text.Json;
using Gateway.Fast.Access;
using Gateway.Fast.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Fleet;

/// <summary><c>GET /api/management/replicas</c> (fleet mode only, behind the management token): the live replicas, the list a
/// fan-out of queries starts from.</summary>
public static class FleetEndpoints
{
    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<ReplicaRegistry>() is null)
        {
            return app; // a single node: the path stays the catch-all's 404
        }

        app.MapGet("/api/management/replicas", static async Task<IResult> (HttpContext context) =>
        {
            var replicas = await context.RequestServices.GetRequiredService<ReplicaRegistry>().ListAsync();
            return V4Envelope.Ok(JsonSerializer.SerializeToNode(replicas, ReplicaJsonContext.Default.IReadOnlyListReplicaInfo));
        }).AddEndpointFilter(ManagementAuthFilter.InvokeAsync);
        return app;
    }
}
