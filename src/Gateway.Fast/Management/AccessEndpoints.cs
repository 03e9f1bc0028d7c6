using Gateway.Fast.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Fast.Management;

/// <summary>Maps the access resources behind the management token: gateway tokens, provider configs (BYOK) and team keys.</summary>
public static class AccessEndpoints
{
    /// <summary>Maps <c>…/gateways/{gateway}/tokens</c> and <c>…/gateways/{gateway}/provider_configs</c> on both management
    /// prefixes, and team keys on <c>/tokens</c> and <c>/api/management/tokens</c> (docs/gateway-api.md#team-api-keys).</summary>
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        MapGatewayResources(app.MapGroup("/client/v4/accounts/{account}/ai-gateway/gateways/{gateway}").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        MapGatewayResources(app.MapGroup("/api/management/gateways/{gateway}").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        // The bare prefix answers create and refresh as a team-key proxy does (the key object, no envelope).
        MapTeamKeys(app.MapGroup("/tokens").AddEndpointFilter(ManagementAuthFilter.InvokeAsync), TeamKeyHandlers.CreateBare, TeamKeyHandlers.RefreshBare);
        MapTeamKeys(app.MapGroup("/api/management/tokens").AddEndpointFilter(ManagementAuthFilter.InvokeAsync), TeamKeyHandlers.Create, TeamKeyHandlers.Refresh);
        return app;
    }

    private static void MapGatewayResources(RouteGroupBuilder group)
    {
        group.MapGet("/tokens", TokenHandlers.List);
        group.MapPost("/tokens", TokenHandlers.Create);
        group.MapDelete("/tokens/{tokenId}", TokenHandlers.Revoke);
        group.MapGet("/provider_configs", ProviderConfigHandlers.List);
        group.MapPost("/provider_configs", ProviderConfigHandlers.Create);
        group.MapDelete("/provider_configs/{id}", ProviderConfigHandlers.Delete);
    }

    // Typed as Funcs so the MapPost overload taking Delegate is chosen: as a RequestDelegate an IResult would be dropped.
    private static void MapTeamKeys(RouteGroupBuilder group, Func<HttpContext, Task<IResult>> create, Func<HttpContext, string, Task<IResult>> refresh)
    {
        group.MapGet("", TeamKeyHandlers.List);
        group.MapPost("", create);
        group.MapPost("/{key}/refresh", refresh);
        group.MapDelete("/{key}", TeamKeyHandlers.Revoke);
        group.MapPatch("/{key}", TeamKeyHandlers.Patch);
    }
}
