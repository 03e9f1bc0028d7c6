using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Fleet;

/// <summary>The logs API in fleet mode: each replica keeps its own rows, so a list or a bulk DELETE asks every live replica
/// and merges, and a call about one row is answered by the replica that holds it. A call another replica forwarded
/// (<see cref="FleetPeers.LocalOnlyHeader"/>) is answered from this replica's rows, as <see cref="LogsHandlers"/> would.</summary>
internal static class FleetLogsHandlers
{
    public static async Task<IResult> List(HttpContext context, string gateway)
    {
        if (!LogsHandlers.GatewayExists(context, gateway))
        {
            return LogsHandlers.GatewayNotFound(gateway);
        }

        if (!LogQueryParser.TryParse(context.Request.QueryString.Value, LogQueryMode.List, out var query, out var errors))
        {
            return LogsHandlers.Invalid(errors);
        }

        var options = context.RequestServices.GetRequiredService<FleetQueryOptions>();
        var window = FleetLogMerge.Window(query);
        if (window > options.QueryMaxRows)
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest,
                $"page × per_page may be at most {options.QueryMaxRows} when the logs of every replica are listed", "page");
        }

        // This replica's first page × per_page rows: all the page can need from it.
        var local = LogQueryEngine.List(LogsHandlers.Logs(context).Scan(gateway), query with { Page = 1, PerPage = (int)window });
        if (FleetPeers.IsForwarded(context.Request))
        {
            return LogsHandlers.PageEnvelope(local);
        }

        var answers = await context.RequestServices.GetRequiredService<FleetPeers>().SendAllAsync(context);
        var shares = new List<FleetLogShare> { FleetLogMerge.FromLocal(local) };
        var missing = new List<MissingReplica>(answers.Missing);
        foreach (var answer in answers.Answers)
        {
            if (answer.StatusCode == StatusCodes.Status200OK && FleetLogMerge.TryRead(answer, out var share))
            {
                shares.Add(share);
            }
            else
            {
                missing.Add(FleetAnswer.Unusable(answer));
            }
        }

        var (page, total, stats) = FleetLogMerge.Merge(query, shares);
        var result = new JsonArray();
        foreach (var row in page)
        {
            result.Add(row.Row);
        }

        var info = new V4ResultInfo(query.Page, query.PerPage, page.Count, (int)Math.Min(total, int.MaxValue),
            stats is { } s ? LogsJson.StatsFields(s).ToList() : null);
        return FleetAnswer.Naming(context, V4Envelope.Ok(result, info), missing);
    }

    public static Task<IResult> Get(HttpContext context, string gateway, string id)
        => OneRowAsync(context, gateway, id, () => LogsHandlers.Get(context, gateway, id), body: null);

    public static Task<IResult> Request(HttpContext context, string gateway, string id)
        => OneRowAsync(context, gateway, id, () => LogsHandlers.Request(context, gateway, id), body: null);

    public static Task<IResult> Response(HttpContext context, string gateway, string id)
        => OneRowAsync(context, gateway, id, () => LogsHandlers.Response(context, gateway, id), body: null);

    public static async Task<IResult> Patch(HttpContext context, string gateway, string id)
    {
        if (IsLocal(context, gateway, id))
        {
            return await LogsHandlers.Patch(context, gateway, id);
        }

        // The row is elsewhere: the body travels with the call (bounded as on one node; the holder validates it).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = LogsHandlers.MaxPatchBytes;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            return V4Envelope.Fail(e.StatusCode, "The request body could not be read");
        }

        return await OneRowAsync(context, gateway, id, local: null, buffer.ToArray());
    }

    public static async Task<IResult> Delete(HttpContext context, string gateway)
    {
        if (FleetPeers.IsForwarded(context.Request) && !FleetPeers.IsSelectOnly(context.Request))
        {
            return await LogsHandlers.Delete(context, gateway);
        }

        if (!LogsHandlers.GatewayExists(context, gateway))
        {
            return LogsHandlers.GatewayNotFound(gateway);
        }

        if (!LogQueryParser.TryParse(context.Request.QueryString.Value, LogQueryMode.Delete, out var query, out var errors))
        {
            return LogsHandlers.Invalid(errors);
        }

        if (FleetPeers.IsSelectOnly(context.Request))
        {
            // The first phase of a limited DELETE: the rows this replica would delete, none deleted.
            var rows = new JsonArray();
            foreach (var row in LogQueryEngine.SelectForDelete(LogsHandlers.Logs(context).Scan(gateway), query))
            {
                rows.Add(LogsJson.ToRow(row));
            }

            return V4Envelope.Ok(rows);
        }

        var options = context.RequestServices.GetRequiredService<FleetQueryOptions>();
        if (query.Limit > options.QueryMaxRows)
        {
            return V4Envelope.Fail(StatusCodes.Status400BadRequest,
                $"limit may be at most {options.QueryMaxRows} when the logs of every replica are deleted (no limit deletes every match)", "limit");
        }

        return query.Limit is null ? await DeleteEverywhereAsync(context, gateway, query) : await DeleteFirstAsync(context, gateway, query);
    }

    /// <summary>Every match on every replica: the same DELETE to each, the counts added.</summary>
    private static async Task<IResult> DeleteEverywhereAsync(HttpContext context, string gateway, LogQuery query)
    {
        var peers = context.RequestServices.GetRequiredService<FleetPeers>();
        var remote = peers.SendAllAsync(context);
        long deleted = await LogsHandlers.DeleteAsync(context, gateway, query);
        var answers = await remote;
        return FleetAnswer.Naming(context, V4Envelope.Ok(new JsonObject { ["deleted"] = deleted + Deleted(answers, out var missing) }), missing);
    }

    /// <summary>The first <c>limit</c> matches of the fleet in the query's order: each replica lists the rows it would delete
    /// (at most limit), the merge picks the first limit of them all, and each replica then deletes its own first k of
    /// those, k being how many of its rows were picked (a replica's picked rows are a prefix of its own order).</summary>
    private static async Task<IResult> DeleteFirstAsync(HttpContext context, string gateway, LogQuery query)
    {
        var peers = context.RequestServices.GetRequiredService<FleetPeers>();
        var selected = await peers.SendAllAsync(context, mode: "select");
        var missing = new List<MissingReplica>(selected.Missing);
        var candidates = LogQueryEngine.SelectForDelete(LogsHandlers.Logs(context).Scan(gateway), query)
            .ConvertAll(static r => new FleetLogRow(LogsJson.ToRow(r), null));
        foreach (var answer in selected.Answers)
        {
            if (answer.StatusCode == StatusCodes.Status200OK && ReadRows(answer) is { } rows)
            {
                candidates.AddRange(rows);
            }
            else
            {
                missing.Add(FleetAnswer.Unusable(answer));
            }
        }

        candidates.Sort(FleetLogRow.Order(query.OrderBy, query.Descending));
        var picked = candidates.Take(query.Limit!.Value).ToList();
        var local = picked.Count(static r => r.Replica is null);
        var perReplica = picked.Where(static r => r.Replica is not null).GroupBy(static r => r.Replica!)
            .ToDictionary(static g => g.Key, static g => g.Count());

        // Only the replicas that hold picked rows are asked, each with its own limit.
        var deleting = perReplica.Count == 0
            ? Task.FromResult(new PeerAnswers([], []))
            : peers.SendAllAsync(context, query: replica => perReplica.TryGetValue(replica.Id, out var k) ? WithLimit(context, k) : null);
        long deleted = local == 0 ? 0 : await LogsHandlers.DeleteAsync(context, gateway, query with { Limit = local });
        deleted += Deleted(await deleting, out var late);
        missing.AddRange(late);
        return FleetAnswer.Naming(context, V4Envelope.Ok(new JsonObject { ["deleted"] = deleted }), missing);
    }

    /// <summary>The caller's query string with <c>limit</c> set to <paramref name="limit"/>.</summary>
    private static string WithLimit(HttpContext context, int limit)
    {
        var pairs = QueryStringReader.Read(context.Request.QueryString.Value).Where(static p => p.Key != "limit")
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        return QueryString.Create(pairs.Select(static p => new KeyValuePair<string, string?>(p.Key, p.Value))).ToUriComponent();
    }

    /// <summary>The sum of the peers' <c>result.deleted</c>; the peers without one are returned as missing.</summary>
    private static long Deleted(PeerAnswers answers, out List<MissingReplica> missing)
    {
        missing = [.. answers.Missing];
        long deleted = 0;
        foreach (var answer in answers.Answers)
        {
            if (answer.StatusCode == StatusCodes.Status200OK && Result(answer.Body)?["deleted"] is JsonValue value
                && value.TryGetValue<long>(out var count))
            {
                deleted += count;
            }
            else
            {
                missing.Add(FleetAnswer.Unusable(answer));
            }
        }

        return deleted;
    }

    private static List<FleetLogRow>? ReadRows(PeerAnswer answer)
    {
        if (Result(answer.Body) is not JsonArray array)
        {
            return null;
        }

        var items = array.OfType<JsonObject>().ToList();
        array.Clear();
        return items.ConvertAll(row => new FleetLogRow(row, answer.Replica.Id));
    }

    private static JsonNode? Result(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["result"];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Answered here when the row is here (or the call was forwarded, or the gateway is unknown); else by the
    /// replica that holds it, found by asking every other live replica at once.</summary>
    private static async Task<IResult> OneRowAsync(HttpContext context, string gateway, string id, Func<Task<IResult>>? local, byte[]? body)
    {
        if (local is not null && IsLocal(context, gateway, id))
        {
            return await local();
        }

        var (found, all) = await context.RequestServices.GetRequiredService<FleetPeers>().FindAsync(context, body);
        if (found is not null)
        {
            return FleetAnswer.Relay(found);
        }

        // No replica holds it. A refusal other than "not found" (a PATCH body the holder rejected, say) is its answer.
        if (all.Answers.FirstOrDefault(static a => a.StatusCode != StatusCodes.Status404NotFound) is { } refusal)
        {
            return FleetAnswer.Relay(refusal);
        }

        return FleetAnswer.Naming(context, LogsHandlers.LogNotFound(id), all.Missing);
    }

    private static bool IsLocal(HttpContext context, string gateway, string id)
        => FleetPeers.IsForwarded(context.Request) || !LogsHandlers.GatewayExists(context, gateway) || LogsHandlers.Holds(context, gateway, id);
}
