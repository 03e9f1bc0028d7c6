using Gateway.Fast.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Fast.Management;

/// <summary>Maps the management REST API (cold path, minimal APIs), on our own prefix and on Cloudflare's v4 shapes.</summary>
public static class ManagementEndpoints
{
    /// <summary>Maps <c>/api/management/gateways</c> and <c>/client/v4/accounts/{account}/ai-gateway/gateways</c>, both behind the
    /// management token, and a 404/7003 fallback for anything else under those two prefixes.</summary>
    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Our own prefix (docs/gateway-api.md#gateways) creates from {"id"} alone (defaults for the rest) and adds PATCH (partial update) to
        // Cloudflare's verbs; the v4 prefix keeps Cloudflare's required fields.
        var local = app.MapGroup("/api/management/gateways").AddEndpointFilter(ManagementAuthFilter.InvokeAsync);
        MapGatewayCrud(local);
        local.MapPost("", Task<IResult> (HttpContext context) => GatewayHandlers.CreateWithDefaults(context));
        local.MapPatch("/{id}", GatewayHandlers.Patch);
        local.MapPost("/{id}/cache/purge", CacheHandlers.Purge);
        app.MapGet("/api/management/providers", ProviderListHandlers.List).AddEndpointFilter(ManagementAuthFilter.InvokeAsync);

        var v4 = app.MapGroup("/client/v4/accounts/{account}/ai-gateway/gateways").AddEndpointFilter(ManagementAuthFilter.InvokeAsync);
        MapGatewayCrud(v4);
        v4.MapPost("", Task<IResult> (HttpContext context) => GatewayHandlers.Create(context));
        v4.MapGet("/{id}/url", static (HttpContext context, string id) => GatewayHandlers.Url(context, id, null));
        v4.MapGet("/{id}/url/{provider}", GatewayHandlers.Url);
        app.MapLogsApi();
        app.MapAccessApi();

        // A catch-all accepts every method, so a known path with an unmapped verb is also 7003, as Cloudflare answers.
        app.Map("/api/management/{**rest}", static () => V4Envelope.NoRoute);
        app.Map("/client/v4/{**rest}", static () => V4Envelope.NoRoute);
        return app;
    }

    // Create differs by prefix and is mapped by the caller, as a lambda with its return type spelled out: that picks the
    // MapPost overload taking Delegate (as a RequestDelegate its IResult would be dropped), and the endpoint's code is
    // generated at build time (a handler passed in as a parameter would be compiled from expression trees at start).
    private static void MapGatewayCrud(RouteGroupBuilder group)
    {
        group.MapGet("", GatewayHandlers.List);
        group.MapGet("/{id}", GatewayHandlers.Get);
        group.MapPut("/{id}", GatewayHandlers.Replace);
        group.MapDelete("/{id}", GatewayHandlers.Delete);
    }
}
