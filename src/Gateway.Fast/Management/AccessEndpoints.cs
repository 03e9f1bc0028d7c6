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
        var bare = app.MapGroup("/tokens").AddEndpointFilter(ManagementAuthFilter.InvokeAsync);
        MapTeamKeys(bare);
        bare.MapPost("", Task<IResult> (HttpContext context) => TeamKeyHandlers.CreateBare(context));
        bare.MapPost("/{key}/refresh", Task<IResult> (HttpContext context, string key) => TeamKeyHandlers.RefreshBare(context, key));
        var managed = app.MapGroup("/api/management/tokens").AddEndpointFilter(ManagementAuthFilter.InvokeAsync);
        MapTeamKeys(managed);
        managed.MapPost("", Task<IResult> (HttpContext context) => TeamKeyHandlers.Create(context));
        managed.MapPost("/{key}/refresh", Task<IResult> (HttpContext context, string key) => TeamKeyHandlers.Refresh(context, key));
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

    // Create and refresh differ by prefix and are mapped by the caller, as lambdas with their return type spelled out: that
    // picks the MapPost overload taking Delegate (as a RequestDelegate an IResult would be dropped), and the endpoints'
    // code is generated at build time (a handler passed in as a parameter would be compiled from expression trees at start).
    private static void MapTeamKeys(RouteGroupBuilder group)
    {
        group.MapGet("", TeamKeyHandlers.List);
        group.MapDelete("/{key}", TeamKeyHandlers.Revoke);
        group.MapPatch("/{key}", TeamKeyHandlers.Patch);
    }
}
