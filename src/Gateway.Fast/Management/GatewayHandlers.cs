using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Configuration;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary>Gateway CRUD shared by <c>/api/management/gateways</c> and <c>/client/v4/accounts/{account}/ai-gateway/gateways</c>.</summary>
internal static class GatewayHandlers
{
    private const int DefaultPerPage = 20;
    private const int MaxPerPage = 100;

    // Settings bodies are a few KiB; 1 MiB leaves room for large guardrail/DLP policies.
    private const long MaxBodyBytes = 1 << 20;

    public static IResult List(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryReadPositive(query["page"], 1, out var page))
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, "page must be a positive integer", "page");
        }

        if (!TryReadPositive(query["per_page"], DefaultPerPage, out var perPage))
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, "per_page must be a positive integer", "per_page");
        }

        perPage = Math.Min(perPage, MaxPerPage);
        var search = query["search"].ToString();
        var account = Account(context);

        var total = 0;
        var skip = (long)(page - 1) * perPage;
        var result = new JsonArray();
        foreach (var gateway in Store(context).List())
        {
            if (search.Length > 0 && !gateway.Id.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Pages past the end stay 200 with an empty result: SDK auto-pagination stops on it (docs/gateway-api.md#envelope-and-authentication).
            if (total >= skip && result.Count < perPage)
            {
                result.Add(GatewayJson.ToNode(gateway, account));
            }

            total++;
        }

        return V4Envelope.Ok(result, new V4ResultInfo(page, perPage, result.Count, total));
    }

    public static IResult Get(HttpContext context, string id)
        => Store(context).TryGet(id, out var gateway)
            ? V4Envelope.Ok(GatewayJson.ToNode(gateway, Account(context)))
            : NotFound(id);

    /// <summary>Cloudflare's v4 create: the body carries every required field, as Cloudflare's SDKs send them.</summary>
    public static Task<IResult> Create(HttpContext context) => CreateAsync(context, GatewaySettingsInput.Create);

    /// <summary>Our own <c>/api/management/gateways</c> create (docs/gateway-api.md#gateways): <c>{"id"}</c> or <c>{"id","name"}</c> alone gets the documented defaults.</summary>
    public static Task<IResult> CreateWithDefaults(HttpContext context) => CreateAsync(context, GatewaySettingsInput.CreateWithDefaults);

    private static async Task<IResult> CreateAsync(HttpContext context, GatewaySettingsInput input)
    {
        using var body = await TryReadBodyAsync(context);
        if (body.Failure is { } failure)
        {
            return failure;
        }

        var errors = new List<GatewaySettingsError>();
        if (!GatewaySettingsReader.TryRead(body.Document!.RootElement, GatewaySettings.WithDefaults(""), input, out var settings, errors))
        {
            return Invalid(errors);
        }

        var result = await Store(context).CreateAsync(settings, context.RequestAborted);
        return result.Status switch
        {
            GatewayStoreStatus.Created => V4Envelope.Ok(GatewayJson.ToNode(result.Settings!, Account(context))),
            GatewayStoreStatus.AlreadyExists => V4Envelope.Fail(StatusCodes.Status400BadRequest, $"A gateway with id '{settings.Id}' already exists", "id"),
            _ => V4Envelope.Fail(StatusCodes.Status400BadRequest, "The gateway id is invalid", "id"),
        };
    }

    public static Task<IResult> Replace(HttpContext context, string id) => UpdateAsync(context, id, GatewaySettingsInput.Replace);

    public static Task<IResult> Patch(HttpContext context, string id) => UpdateAsync(context, id, GatewaySettingsInput.Patch);

    public static async Task<IResult> Delete(HttpContext context, string id)
    {
        var deleted = await Store(context).DeleteAsync(id, context.RequestAborted);
        return deleted is null ? NotFound(id) : V4Envelope.Ok(GatewayJson.ToNode(deleted, Account(context)));
    }

    /// <summary><c>GET …/gateways/{id}/url[/{provider}]</c>: the proxy base a client should call, built from this request's host.</summary>
    public static IResult Url(HttpContext context, string id, string? provider)
    {
        if (!Store(context).TryGet(id, out _))
        {
            return NotFound(id);
        }

        var request = context.Request;
        var url = $"{request.Scheme}://{request.Host}/v1/{Account(context)}/{id}/{provider}";
        return V4Envelope.Ok(JsonValue.Create(url));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string id, GatewaySettingsInput input)
    {
        using var body = await TryReadBodyAsync(context);
        if (body.Failure is { } failure)
        {
            return failure;
        }

        var errors = new List<GatewaySettingsError>();
        var result = await Store(context).UpdateAsync(
            id,
            (Body: body.Document!.RootElement, Input: input, Errors: errors),
            static (current, s) => GatewaySettingsReader.TryRead(s.Body, current, s.Input, out var next, s.Errors) ? next : null,
            context.RequestAborted);

        return result.Status switch
        {
            GatewayStoreStatus.Updated => V4Envelope.Ok(GatewayJson.ToNode(result.Settings!, Account(context))),
            GatewayStoreStatus.NotFound => NotFound(id),
            _ => Invalid(errors),
        };
    }

    private static async Task<RequestBody> TryReadBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            return new(await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted), null);
        }
        catch (JsonException)
        {
            return new(null, V4Envelope.Fail(StatusCodes.Status400BadRequest, "The request body is not valid JSON"));
        }
        catch (BadHttpRequestException e)
        {
            return new(null, V4Envelope.Fail(e.StatusCode, "The request body could not be read"));
        }
    }

    private static bool TryReadPositive(Microsoft.Extensions.Primitives.StringValues raw, int fallback, out int value)
    {
        if (raw.Count == 0 || string.IsNullOrEmpty(raw[0]))
        {
            value = fallback;
            return true;
        }

        return int.TryParse(raw[0], System.Globalization.NumberStyles.None, null, out value) && value > 0;
    }

    private static V4Envelope Invalid(List<GatewaySettingsError> errors)
        => V4Envelope.Fail(StatusCodes.Status400BadRequest, errors.Select(static e => new V4Error(StatusCodes.Status400BadRequest, e.Message, e.Field)));

    private static V4Envelope NotFound(string id)
        => V4Envelope.Fail(StatusCodes.Status404NotFound, $"Gateway '{id}' not found");

    private static IGatewayStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IGatewayStore>();

    private static string? Account(HttpContext context) => context.GetRouteValue("account") as string;

    private readonly record struct RequestBody(JsonDocument? Document, IResult? Failure) : IDisposable
    {
        public void Dispose() => Document?.Dispose();
    }
}
