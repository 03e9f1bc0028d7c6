using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Management;

namespace Gateway.Fast.Fleet;

/// <summary>One replica's part of a fleet-wide list: its first rows in the query's order, its total and its
/// <c>meta_info</c> ranges.</summary>
internal sealed record FleetLogShare(List<FleetLogRow> Rows, long Total, LogStats? Stats);

/// <summary>Merges the replicas' shares of a logs list into the page one node holding every row would answer.</summary>
/// <remarks>
/// Page p of size n is rows [(p-1)·n, p·n) of the merged order, and each of them is among the first p·n rows of the
/// replica that holds it, so every replica sends its first p·n (<see cref="Window"/>) and the merge sorts those and cuts
/// the page. Totals add up; each <c>min_*</c>/<c>max_*</c> is the least/greatest of the replicas' (rows are never on two
/// replicas, so nothing is counted twice).
/// </remarks>
internal static class FleetLogMerge
{
    /// <summary>The rows each replica must send for <paramref name="query"/>'s page: its first page × per_page.</summary>
    public static long Window(LogQuery query) => (long)query.Page * query.PerPage;

    public static FleetLogShare FromLocal(LogPage page)
        => new(page.Rows.Select(static r => new FleetLogRow(LogsJson.ToRow(r), null)).ToList(), page.TotalCount, page.Stats);

    /// <summary>Reads another replica's answer (the list's own envelope); false when it is not one.</summary>
    public static bool TryRead(PeerAnswer answer, out FleetLogShare share)
    {
        share = new FleetLogShare([], 0, null);
        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(answer.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }

        if (envelope?["result"] is not JsonArray result || envelope["result_info"] is not JsonObject info
            || info["total_count"] is not JsonValue total || !total.TryGetValue<long>(out var count))
        {
            return false;
        }

        var rows = new List<FleetLogRow>(result.Count);
        var items = result.OfType<JsonObject>().ToList();
        result.Clear(); // detaches the rows so the merged array can take them
        foreach (var item in items)
        {
            rows.Add(new FleetLogRow(item, answer.Replica.Id));
        }

        share = new FleetLogShare(rows, count, info.ContainsKey("min_cost") ? ReadStats(info) : null);
        return true;
    }

    /// <summary>The requested page of the merged rows, the summed total and the combined ranges.</summary>
    public static (List<FleetLogRow> Page, long Total, LogStats? Stats) Merge(LogQuery query, IReadOnlyList<FleetLogShare> shares)
    {
        var all = new List<FleetLogRow>(shares.Sum(static s => s.Rows.Count));
        long total = 0;
        LogStats? stats = query.MetaInfo ? new LogStats() : null;
        foreach (var share in shares)
        {
            all.AddRange(share.Rows);
            total += share.Total;
            if (stats is { } sum && share.Stats is { } part)
            {
                stats = Combine(sum, part);
            }
        }

        all.Sort(FleetLogRow.Order(query.OrderBy, query.Descending));
        var skip = (long)(query.Page - 1) * query.PerPage;
        var page = skip >= all.Count ? [] : all.GetRange((int)skip, (int)Math.Min(query.PerPage, all.Count - skip));
        return (page, total, stats);
    }

    private static LogStats Combine(LogStats a, LogStats b)
        => new(Range(a.Cost, b.Cost), Range(a.Duration, b.Duration), Range(a.TokensIn, b.TokensIn), Range(a.TokensOut, b.TokensOut),
            Range(a.TotalTokens, b.TotalTokens));

    private static LogRange Range(LogRange a, LogRange b) => a.Add(b.Min).Add(b.Max);

    private static LogStats ReadStats(JsonObject info)
    {
        LogRange Column(string name) => new(Number(info["min_" + name]), Number(info["max_" + name]));
        return new LogStats(Column("cost"), Column("duration"), Column("tokens_in"), Column("tokens_out"), Column("total_tokens"));
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var d) ? d : null;
}
