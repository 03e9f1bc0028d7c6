using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Management;

/// <summary><c>GET …/gateways/{gateway}/analytics</c>: REST aggregates over the log store in place of Cloudflare's GraphQL (docs/gateway-api.md#analytics).</summary>
internal static class AnalyticsHandlers
{
    public static IResult Get(HttpContext context, string gateway)
    {
        if (!LogsHandlers.GatewayExists(context, gateway))
        {
            return LogsHandlers.GatewayNotFound(gateway);
        }

        return Answer(context, [gateway]);
    }

    /// <summary><c>GET /api/management/analytics</c> (ours): the same aggregates over the rows of every gateway, so the
    /// dashboard's "all gateways" view sums and ranks exactly as one query (percentiles cannot be merged per gateway).</summary>
    public static IResult GetAll(HttpContext context)
    {
        var gateways = context.RequestServices.GetRequiredService<IGatewayStore>().List();
        return Answer(context, [.. gateways.Select(static g => g.Id)]);
    }

    /// <remarks>From the sums the log store keeps per minute and hour where they answer the query (any range and group_by
    /// but metadata), so a week over millions of rows reads a few hundred values; otherwise from the rows in the range.</remarks>
    private static IResult Answer(HttpContext context, IReadOnlyList<string> gatewayIds)
    {
        if (!LogAnalyticsQuery.TryParse(QueryStringReader.Read(context.Request.QueryString.Value), out var query, out var errors))
        {
            return LogsHandlers.Invalid(errors);
        }

        var logs = context.RequestServices.GetRequiredService<ILogStore>();
        var groups = LogAnalytics.Run(logs, gatewayIds, query);
        var result = new JsonArray();
        foreach (var group in groups)
        {
            result.Add(ToNode(group, query.MetadataKey));
        }

        return V4Envelope.Ok(result);
    }

    /// <summary>One group as the analytics API writes it (the MCP tool <c>get_analytics</c> writes the same).</summary>
    internal static JsonObject ToNode(LogAnalyticsGroup group, string? metadataKey = null)
    {
        var node = new JsonObject();
        foreach (var (key, value) in group.Keys)
        {
            // A metadata group is named by its key, as the filter names it: {"metadata.customer": "acme"}.
            string name = key == LogGroupKey.Metadata ? $"metadata.{metadataKey}" : LogAnalyticsQuery.WireName(key);
            node[name] = key switch
            {
                LogGroupKey.Metadata when value.Length == 0 => null, // the rows without that key
                LogGroupKey.StatusCode => JsonValue.Create(int.Parse(value, CultureInfo.InvariantCulture)),
                LogGroupKey.Success or LogGroupKey.Cached => JsonValue.Create(value == "true"),
                LogGroupKey.Team when value.Length == 0 => null, // the rows of no team
                _ => JsonValue.Create(value),
            };
            if (key == LogGroupKey.Team)
            {
                node["team_name"] = group.TeamName;
            }
        }

        if (group.BucketStartUnixMs is { } bucket)
        {
            node["bucket"] = LogsJson.FormatTime(bucket);
        }

        node["requests"] = group.Requests;
        node["errors"] = group.Errors;
        node["cache_hits"] = group.CacheHits;
        node["tokens_in"] = group.TokensIn;
        node["tokens_out"] = group.TokensOut;
        node["cost"] = group.Cost;
        node["cache_saved_cost"] = group.CacheSavedCost;
        node["rate_limited"] = group.RateLimited;
        node["latency_ms"] = new JsonObject { ["p50"] = group.LatencyP50, ["p95"] = group.LatencyP95, ["p99"] = group.LatencyP99 };
        node["time_to_first_token_ms"] = new JsonObject { ["p50"] = group.TimeToFirstTokenP50, ["p95"] = group.TimeToFirstTokenP95 };
        return node;
    }
}
