using System.Text.Json.Nodes;
using Gateway.Fast.Access;
using Gateway.Fast.Configuration;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary><c>…/gateways/{gateway}/tokens</c>: the tokens an authenticated gateway accepts in <c>cf-aig-authorization</c> (our own resource: Cloudflare uses account API tokens; docs/gateway-api.md#provider-keys-and-gateway-tokens).</summary>
/// <remarks>A token is returned once, by the create call (<c>token</c>); lists show its <c>hint</c> (last 4 characters) only.</remarks>
internal static class TokenHandlers
{
    private const int MaxNameChars = 256;

    public static IResult List(HttpContext context, string gateway)
    {
        if (!TryGetGateway(context, gateway, out var settings, out var failure))
        {
            return failure;
        }

        var result = new JsonArray();
        foreach (var token in Store(context).List(settings))
        {
            result.Add(ToNode(token));
        }

        return V4Envelope.Ok(result, new V4ResultInfo(1, result.Count, result.Count, result.Count));
    }

    public static async Task<IResult> Create(HttpContext context, string gateway)
    {
        if (!TryGetGateway(context, gateway, out var settings, out var failure))
        {
            return failure;
        }

        using var body = await ManagementBody.ReadAsync(context);
        if (body.Failure is { } bodyFailure)
        {
            return bodyFailure;
        }

        if (!ManagementBody.TryGetString(body.Root, "name", out var name, out var error) || name is { Length: > MaxNameChars })
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, error ?? $"name must be at most {MaxNameChars} characters", "name");
        }

        var (token, secret) = await Store(context).CreateAsync(settings, name ?? "", context.RequestAborted);
        var node = ToNode(token);
        node["token"] = secret; // the only time the token leaves the gateway
        return V4Envelope.Ok(node);
    }

    public static async Task<IResult> Revoke(HttpContext context, string gateway, string tokenId)
    {
        if (!TryGetGateway(context, gateway, out var settings, out var failure))
        {
            return failure;
        }

        var revoked = await Store(context).RevokeAsync(settings, tokenId, context.RequestAborted);
        return revoked is null
            ? V4Envelope.Fail(StatusCodes.Status404NotFound, $"Token '{tokenId}' not found")
            : V4Envelope.Ok(ToNode(revoked));
    }

    private static JsonObject ToNode(GatewayToken token) => new()
    {
        ["id"] = token.Id,
        ["gateway_id"] = token.GatewayId,
        ["name"] = token.Name,
        ["hint"] = token.Hint,
        ["created_at"] = token.CreatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The gateway named in the route, or a 404 envelope.</summary>
    internal static bool TryGetGateway(HttpContext context, string gateway, out GatewaySettings settings, out IResult failure)
    {
        if (context.RequestServices.GetRequiredService<IGatewayStore>().TryGet(gateway, out settings!))
        {
            failure = null!;
            return true;
        }

        failure = V4Envelope.Fail(StatusCodes.Status404NotFound, $"Gateway '{gateway}' not found");
        return false;
    }

    private static GatewayTokenStore Store(HttpContext context) => context.RequestServices.GetRequiredService<GatewayTokenStore>();
}
