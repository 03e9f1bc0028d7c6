using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
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

        if (!LogAnalyticsQuery.TryParse(QueryStringReader.Read(context.Request.QueryString.Value), out var query, out var errors))
        {
            return LogsHandlers.Invalid(errors);
        }

        var groups = LogAnalytics.Aggregate(context.RequestServices.GetRequiredService<ILogStore>().Scan(gateway), query);
        var result = new JsonArray();
        foreach (var group in groups)
        {
            result.Add(ToNode(group));
        }

        return V4Envelope.Ok(result);
    }

    /// <summary>One group as the analytics API writes it (the MCP tool <c>get_analytics</c> writes the same).</summary>
    internal static JsonObject ToNode(LogAnalyticsGroup group)
    {
        var node = new JsonObject();
        foreach (var (key, value) in group.Keys)
        {
            node[LogAnalyticsQuery.WireName(key)] = key switch
            {
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
        node["latency_ms"] = new JsonObject { ["p50"] = group.LatencyP50, ["p95"] = group.LatencyP95, ["p99"] = group.LatencyP99 };
        node["time_to_first_token_ms"] = new JsonObject { ["p50"] = group.TimeToFirstTokenP50, ["p95"] = group.TimeToFirstTokenP95 };
        return node;
    }
}
