using System.Text.Json.Nodes;
using Gateway.Fast.Caching;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary><c>POST /api/management/gateways/{id}/cache/purge</c>: makes every cached entry of a gateway unreachable at once.</summary>
internal static class CacheHandlers
{
    public static async Task<IResult> Purge(HttpContext context, string id)
    {
        var gateways = context.RequestServices.GetRequiredService<IGatewayStore>();
        if (!gateways.TryGet(id, out _))
        {
            return V4Envelope.Fail(StatusCodes.Status404NotFound, $"Gateway '{id}' not found");
        }

        long generation = await context.RequestServices.GetRequiredService<ICacheStore>().PurgeGatewayAsync(id);
        return V4Envelope.Ok(new JsonObject { ["id"] = id, ["purged"] = true, ["generation"] = generation });
    }
}
