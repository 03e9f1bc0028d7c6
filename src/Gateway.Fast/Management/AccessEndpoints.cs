using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Fast.Management;

/// <summary>Maps the access resources behind the management token: gateway tokens, provider configs (BYOK) and team keys.</summary>
public static class AccessEndpoints
{
    /// <summary>Maps <c>…/gateways/{gateway}/tokens</c> and <c>…/gateways/{gateway}/provider_configs</c> on both management
    /// prefixes, and team keys on <c>/tokens</c> and <c>/api/management/tokens</c> (spec §9).</summary>
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        MapGatewayResources(app.MapGroup("/client/v4/accounts/{account}/ai-gateway/gateways/{gateway}").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        MapGatewayResources(app.MapGroup("/api/management/gateways/{gateway}").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        MapTeamKeys(app.MapGroup("/tokens").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
        MapTeamKeys(app.MapGroup("/api/management/tokens").AddEndpointFilter(ManagementAuthFilter.InvokeAsync));
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

    private static void MapTeamKeys(RouteGroupBuilder group)
    {
        group.MapGet("", TeamKeyHandlers.List);
        // Typed as a Func so the overload taking Delegate is chosen: as a RequestDelegate its IResult would be dropped.
        group.MapPost("", new Func<HttpContext, Task<IResult>>(TeamKeyHandlers.Create));
        group.MapPost("/{key}/refresh", TeamKeyHandlers.Refresh);
        group.MapDelete("/{key}", TeamKeyHandlers.Revoke);
        group.MapPatch("/{key}", TeamKeyHandlers.Patch);
    }
}
