using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary>Team API keys (docs/gateway-api.md#team-api-keys) at <c>/tokens</c> and <c>/api/management/tokens</c>, behind the management token.</summary>
/// <remarks>
/// Create and refresh answer on <c>/tokens</c> with the bare key object (<c>{apiKey, teamId, name, limited, createdAt, …}</c>),
/// as a team-key proxy does; every other answer, and every answer under <c>/api/management</c>, is a v4 envelope.
/// Fields are camelCase, as clients of a team-key proxy read them (<c>apiKey</c>, <c>teamId</c>, <c>createdAt</c>). <c>{key}</c> in a path is
/// the key itself (<c>sk_…</c>) or its <c>id</c>. The key is returned by create and refresh only; lists show <c>hint</c>.
/// PATCH sets what a limited key may do: <c>rate_limit</c>, <c>rate_limit_period</c> (seconds), <c>allowed_models</c>
/// (camelCase spellings accepted too), <c>name</c>, <c>limited</c>; a null clears a setting.
/// </remarks>
internal static class TeamKeyHandlers
{
    private const int MaxTextChars = 256;

    public static IResult List(HttpContext context)
    {
        var teamId = context.Request.Query["teamId"].ToString();
        var result = new JsonArray();
        foreach (var key in Store(context).List(teamId.Length > 0 ? teamId : null))
        {
            result.Add(ToNode(key));
        }

        return V4Envelope.Ok(result, new V4ResultInfo(1, result.Count, result.Count, result.Count));
    }

    /// <summary><c>POST /api/management/tokens</c>: the new key inside the v4 envelope.</summary>
    public static Task<IResult> Create(HttpContext context) => CreateAsync(context, bare: false);

    /// <summary><c>POST /tokens</c>: the new key as a bare object, as clients of a team-key proxy read it.</summary>
    public static Task<IResult> CreateBare(HttpContext context) => CreateAsync(context, bare: true);

    /// <summary><c>POST /api/management/tokens/{key}/refresh</c>: the replacement key inside the v4 envelope.</summary>
    public static Task<IResult> Refresh(HttpContext context, string key) => RefreshAsync(context, key, bare: false);

    /// <summary><c>POST /tokens/{key}/refresh</c>: the replacement key as a bare object.</summary>
    public static Task<IResult> RefreshBare(HttpContext context, string key) => RefreshAsync(context, key, bare: true);

    private static async Task<IResult> CreateAsync(HttpContext context, bool bare)
    {
        using var body = await ManagementBody.ReadAsync(context);
        if (body.Failure is { } failure)
        {
            return failure;
        }

        var root = body.Root;
        if (!ManagementBody.TryGetString(root, "teamId", out var teamId, out var error) || string.IsNullOrWhiteSpace(teamId) || teamId.Length > MaxTextChars)
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, error ?? "teamId is required (a string of at most 256 characters)", "teamId");
        }

        if (!ManagementBody.TryGetString(root, "name", out var name, out error) || name is { Length: > MaxTextChars })
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, error ?? "name must be at most 256 characters", "name");
        }

        bool limited = false;
        if (root.TryGetProperty("limited", out var limitedElement) && limitedElement.ValueKind != JsonValueKind.Null)
        {
            if (limitedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return V4Envelope.Fail(StatusCodes.Status400BadRequest, "limited must be a boolean", "limited");
            }

            limited = limitedElement.GetBoolean();
        }

        var (key, secret) = await Store(context).CreateAsync(teamId, name ?? "", limited, context.RequestAborted);
        return Issued(WithSecret(key, secret), bare);
    }

    private static async Task<IResult> RefreshAsync(HttpContext context, string key, bool bare)
    {
        var refreshed = await Store(context).RefreshAsync(key, context.RequestAborted);
        return refreshed is { } r ? Issued(WithSecret(r.Key, r.Secret), bare) : NotFound();
    }

    // Only success differs between the two prefixes: errors stay v4 envelopes on both, so a failure is always
    // {"success":false,"errors":[{code,message}]} with its status, never a 200 a proxy client could mistake for a key.
    private static IResult Issued(JsonObject node, bool bare) => bare ? new BareJson(node) : V4Envelope.Ok(node);

    public static async Task<IResult> Revoke(HttpContext context, string key)
    {
        var revoked = await Store(context).RevokeAsync(key, context.RequestAborted);
        return revoked is null ? NotFound() : V4Envelope.Ok(ToNode(revoked));
    }

    public static async Task<IResult> Patch(HttpContext context, string key)
    {
        using var body = await ManagementBody.ReadAsync(context);
        if (body.Failure is { } failure)
        {
            return failure;
        }

        var errors = new List<V4Error>();
        var (updated, found) = await Store(context).UpdateAsync(
            key,
            (Root: body.Root, Errors: errors),
            static (current, s) => TeamKeyPatch.TryApply(current, s.Root, s.Errors, out var next) ? next : null,
            context.RequestAborted);

        if (!found)
        {
            return NotFound();
        }

        return updated is null ? V4Envelope.Fail(StatusCodes.Status400BadRequest, errors) : V4Envelope.Ok(ToNode(updated));
    }

    private static JsonObject WithSecret(TeamKey key, string secret)
    {
        var node = ToNode(key);
        node["apiKey"] = secret; // shown here and nowhere else
        return node;
    }

    private static JsonObject ToNode(TeamKey key)
    {
        JsonArray? models = null;
        if (key.AllowedModels is { } allowed)
        {
            models = [];
            foreach (var model in allowed)
            {
                models.Add(model);
            }
        }

        return new JsonObject
        {
            ["id"] = key.Id,
            ["teamId"] = key.TeamId,
            ["name"] = key.Name,
            ["limited"] = key.Limited,
            ["hint"] = key.Hint,
            ["createdAt"] = Iso(key.CreatedAt),
            ["refreshedAt"] = key.RefreshedAt is { } refreshed ? Iso(refreshed) : null,
            ["rateLimit"] = key.RateLimit,
            ["rateLimitPeriod"] = key.RateLimitPeriod,
            ["allowedModels"] = models,
        };
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    // The path value may be the key itself: it is never echoed.
    private static V4Envelope NotFound() => V4Envelope.Fail(StatusCodes.Status404NotFound, "Team key not found");

    private static TeamKeyStore Store(HttpContext context) => context.RequestServices.GetRequiredService<TeamKeyStore>();
}
