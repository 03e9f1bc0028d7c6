using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary>The logs API (docs/gateway-api.md#logs-api) over <see cref="ILogStore"/>: list, get, bodies, PATCH and DELETE by filter.</summary>
internal static class LogsHandlers
{
    // A PATCH body is three fields and five metadata entries: 64 KiB is generous.
    internal const long MaxPatchBytes = 64 << 10;

    public static IResult List(HttpContext context, string gateway)
    {
        if (!GatewayExists(context, gateway))
        {
            return GatewayNotFound(gateway);
        }

        if (!LogQueryParser.TryParse(context.Request.QueryString.Value, LogQueryMode.List, out var query, out var errors))
        {
            return Invalid(errors);
        }

        return PageEnvelope(LogQueryEngine.List(Logs(context).Scan(gateway), query));
    }

    /// <summary>A list page in the v4 envelope, with <c>result_info</c> and, when asked for, its min/max fields.</summary>
    internal static V4Envelope PageEnvelope(LogPage page)
    {
        var result = new JsonArray();
        foreach (var row in page.Rows)
        {
            result.Add(LogsJson.ToRow(row));
        }

        return V4Envelope.Ok(result, new V4ResultInfo(page.Page, page.PerPage, page.Rows.Count, page.TotalCount,
            page.Stats is { } stats ? LogsJson.StatsFields(stats).ToList() : null));
    }

    public static async Task<IResult> Get(HttpContext context, string gateway, string id)
    {
        if (!TryFind(context, gateway, id, out var record, out var failure))
        {
            return failure;
        }

        var store = Logs(context);
        var request = await store.ReadBodyAsync(id, LogBodyKind.Request, context.RequestAborted);
        var response = await store.ReadBodyAsync(id, LogBodyKind.Response, context.RequestAborted);
        var headers = await store.ReadBodyAsync(id, LogBodyKind.ResponseHeaders, context.RequestAborted);
        return V4Envelope.Ok(LogsJson.ToDetail(record, request, response, headers));
    }

    public static Task<IResult> Request(HttpContext context, string gateway, string id) => BodyAsync(context, gateway, id, LogBodyKind.Request);

    public static Task<IResult> Response(HttpContext context, string gateway, string id) => BodyAsync(context, gateway, id, LogBodyKind.Response);

    public static async Task<IResult> Patch(HttpContext context, string gateway, string id)
    {
        if (!TryFind(context, gateway, id, out _, out var failure))
        {
            return failure;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxPatchBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest, "The request body is not valid JSON");
        }
        catch (BadHttpRequestException e)
        {
            return V4Envelope.Fail(e.StatusCode, "The request body could not be read");
        }

        using (document)
        {
            var errors = new List<V4Error>();
            var patch = LogsPatch.Read(document.RootElement, errors);
            if (errors.Count > 0)
            {
                return V4Envelope.Fail(StatusCodes.Status400BadRequest, errors);
            }

            var updated = await Logs(context).UpdateAsync(id, record => record with
            {
                Feedback = patch.HasFeedback ? patch.Feedback : record.Feedback,
                Score = patch.HasScore ? patch.Score : record.Score,
                Metadata = patch.HasMetadata ? patch.Metadata : record.Metadata,
            });

            // Our choice: the updated row (Cloudflare's docs show {}); a row deleted meanwhile is a 404.
            return updated is null ? LogNotFound(id) : V4Envelope.Ok(LogsJson.ToRow(updated));
        }
    }

    public static async Task<IResult> Delete(HttpContext context, string gateway)
    {
        if (!GatewayExists(context, gateway))
        {
            return GatewayNotFound(gateway);
        }

        if (!LogQueryParser.TryParse(context.Request.QueryString.Value, LogQueryMode.Delete, out var query, out var errors))
        {
            return Invalid(errors);
        }

        // The SDK reads only the envelope's success; the count rides in result (our addition).
        return V4Envelope.Ok(new JsonObject { ["deleted"] = await DeleteAsync(context, gateway, query) });
    }

    /// <summary>Deletes the rows of <paramref name="gateway"/> that <paramref name="query"/> selects; returns how many.</summary>
    internal static async Task<int> DeleteAsync(HttpContext context, string gateway, LogQuery query)
    {
        var store = Logs(context);
        var doomed = LogQueryEngine.SelectForDelete(store.Scan(gateway), query);
        return doomed.Count == 0 ? 0 : await store.DeleteAsync(doomed.ConvertAll(static r => r.Id));
    }

    /// <summary>True when this replica's store holds log <paramref name="id"/> of <paramref name="gateway"/>.</summary>
    internal static bool Holds(HttpContext context, string gateway, string id)
        => Logs(context).TryGet(id, out var record) && record.GatewayId == gateway;

    internal static bool GatewayExists(HttpContext context, string gateway)
        => context.RequestServices.GetRequiredService<IGatewayStore>().TryGet(gateway, out _);

    internal static V4Envelope GatewayNotFound(string gateway)
        => V4Envelope.Fail(StatusCodes.Status404NotFound, $"Gateway '{gateway}' not found");

    internal static V4Envelope Invalid(IReadOnlyList<LogQueryError> errors)
        => V4Envelope.Fail(StatusCodes.Status400BadRequest, errors.Select(static e => new V4Error(StatusCodes.Status400BadRequest, e.Message, e.Path)));

    private static async Task<IResult> BodyAsync(HttpContext context, string gateway, string id, LogBodyKind kind)
    {
        if (!TryFind(context, gateway, id, out var record, out var failure))
        {
            return failure;
        }

        var body = await Logs(context).ReadBodyAsync(id, kind, context.RequestAborted);
        if (body is not { } bytes)
        {
            var name = kind == LogBodyKind.Request ? "request" : "response";
            return V4Envelope.Fail(StatusCodes.Status404NotFound, $"The {name} body of log '{id}' was not kept");
        }

        // The raw stored body (the SDK does not unwrap these two, so no envelope), with the type it was sent with.
        var contentType = (kind == LogBodyKind.Request ? record.RequestContentType : record.ResponseContentType) ?? "application/octet-stream";
        return Results.Bytes(bytes, contentType);
    }

    private static bool TryFind(HttpContext context, string gateway, string id, out LogRecord record, out IResult failure)
    {
        failure = null!;
        if (!GatewayExists(context, gateway))
        {
            record = null!;
            failure = GatewayNotFound(gateway);
            return false;
        }

        // A log id from another gateway is as absent as an unknown one.
        if (!Logs(context).TryGet(id, out record) || record.GatewayId != gateway)
        {
            failure = LogNotFound(id);
            return false;
        }

        return true;
    }

    internal static V4Envelope LogNotFound(string id) => V4Envelope.Fail(StatusCodes.Status404NotFound, $"Log '{id}' not found");

    internal static ILogStore Logs(HttpContext context) => context.RequestServices.GetRequiredService<ILogStore>();
}
