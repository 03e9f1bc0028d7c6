using System.ComponentModel;
using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Management;
using Gateway.Fast.Storage;
using ModelContextProtocol.Server;

namespace Gateway.Fast.Mcp;

/// <summary>The <c>get_analytics</c> tool: the analytics API's aggregates, with the range's totals beside the breakdown.</summary>
/// <remarks>Parameter names are snake_case, as the list tools' (<c>gateway_id</c>, <c>group_by</c>).</remarks>
[McpServerToolType]
internal sealed class AnalyticsTools(IGatewayStore gateways, ILogStore logs)
{
    [McpServerTool(Name = "get_analytics", Title = "Get analytics", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Sum the logs of one gateway (or of every gateway) created in [start, end): requests, errors, cache_hits, " +
        "tokens_in, tokens_out, cost (USD), latency_ms p50/p95/p99 and time_to_first_token_ms p50/p95. 'totals' covers the " +
        "whole range; 'groups' breaks it down by group_by and, with bucket, by time. Use it for questions like 'which model " +
        "costs most', 'error rate per provider this week', 'requests per hour today'. " +
        "Returns {\"result\":{gateway_id,start,end,totals:{…},groups:[{<group_by keys>,bucket?,requests,…}]}}.")]
    public string GetAnalytics(
        [Description("Start of the range (inclusive), ISO-8601 (e.g. 2025-01-31T00:00:00Z) or unix milliseconds.")] string start,
        [Description("End of the range (exclusive), ISO-8601 or unix milliseconds.")] string end,
        [Description("The gateway ID (the 'id' from list_gateways); omit it to sum every gateway.")] string? gateway_id = null,
        [Description("Comma-separated breakdown keys: provider, model, model_type, request_type, status_code, success, cached, team (e.g. 'provider,model').")]
        string? group_by = null,
        [Description("Time buckets for a series: minute, hour or day; omit for one group per key over the whole range.")] string? bucket = null)
    {
        if (string.IsNullOrWhiteSpace(start) || string.IsNullOrWhiteSpace(end))
        {
            throw ToolErrors.Invalid("start and end are required (ISO-8601 times or unix milliseconds)");
        }

        if (gateway_id is { Length: > 0 })
        {
            ToolLookup.RequireGateway(gateways, gateway_id);
        }

        List<KeyValuePair<string, string>> pairs = [new("start", start), new("end", end)];
        if (!string.IsNullOrEmpty(group_by))
        {
            pairs.Add(new("group_by", group_by));
        }

        if (!string.IsNullOrEmpty(bucket))
        {
            pairs.Add(new("bucket", bucket));
        }

        if (!LogAnalyticsQuery.TryParse(pairs, out var query, out var errors))
        {
            throw ToolErrors.Invalid(errors);
        }

        // Two queries over the same range: the totals are the query without keys or buckets.
        IReadOnlyList<string> ids = gateway_id is { Length: > 0 } ? [gateway_id] : [.. gateways.List().Select(static g => g.Id)];
        var totals = LogAnalytics.Run(logs, ids, query with { GroupBy = [], Bucket = LogBucket.None });
        var groups = new JsonArray();
        foreach (var group in LogAnalytics.Run(logs, ids, query))
        {
            groups.Add(AnalyticsHandlers.ToNode(group));
        }

        var result = new JsonObject
        {
            ["gateway_id"] = gateway_id is { Length: > 0 } ? gateway_id : null,
            ["start"] = LogsJson.FormatTime(query.StartUnixMs!.Value),
            ["end"] = LogsJson.FormatTime(query.EndUnixMs!.Value),
            ["totals"] = AnalyticsHandlers.ToNode(totals.Count > 0 ? totals[0] : Empty),
            ["groups"] = groups,
        };
        return ToolJson.Result(result);
    }

    private static readonly LogAnalyticsGroup Empty = new([], null, 0, 0, 0, 0, 0, 0, null, null, null, null, null);
}
