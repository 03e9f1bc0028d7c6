using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Management;
using Gateway.Fast.Storage;
using ModelContextProtocol.Server;

namespace Gateway.Fast.Mcp;

/// <summary>The tools that find logs: <c>list_logs</c> (Cloudflare's filters) and <c>search_logs</c> (free text, bodies included).</summary>
/// <remarks>Parameter names are the wire names of Cloudflare's MCP server (<c>gateway_id</c>, <c>order_by_direction</c>…), so they are snake_case here.</remarks>
[McpServerToolType]
internal sealed class LogQueryTools(IGatewayStore gateways, ILogStore logs)
{
    [McpServerTool(Name = "list_logs", Title = "List logs", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("List the request logs of one gateway, newest first unless ordered otherwise, one page at a time, with optional " +
        "filters: a time range, success (false finds failed requests: provider errors, timeouts, gateway refusals), cached, " +
        "feedback, model and provider. Each row has id (the log_id for get_log_details and the body tools), created_at, provider, " +
        "model, path, status_code, success, cached, duration (ms), tokens_in, tokens_out, cost (USD) and metadata. " +
        "Returns {\"result\":[row…],\"result_info\":{page,per_page,count,total_count}}.")]
    public string ListLogs(
        [Description("The gateway ID (the 'id' from list_gateways).")] string gateway_id,
        [Description("Page number, starting at 1 (default 1).")] int? page = null,
        [Description("Rows per page, 1 to 50 (default 20).")] int? per_page = null,
        [Description("Sort field: created_at (default), provider, model, model_type, success, cached, cost, tokens_in, tokens_out, duration or feedback.")]
        string? order_by = null,
        [Description("Sort direction: desc (default) or asc.")] string? order_by_direction = null,
        [Description("Only logs created at or after this time, ISO-8601 (e.g. 2025-01-31T14:00:00Z).")] string? start_date = null,
        [Description("Only logs created at or before this time, ISO-8601.")] string? end_date = null,
        [Description("Only logs with this feedback: 1 (thumbs up), -1 (thumbs down) or 0 (none).")] int? feedback = null,
        [Description("true for requests that succeeded, false for failed ones (non-2xx, timeouts, refusals).")] bool? success = null,
        [Description("true for answers served from the gateway's cache, false for those that reached the provider.")] bool? cached = null,
        [Description("Only logs of this exact model name, as logged (e.g. gpt-4o-mini).")] string? model = null,
        [Description("Only logs of this provider, e.g. openai, anthropic, google-ai-studio, workers-ai, aws-bedrock.")] string? provider = null)
    {
        ToolLookup.RequireGateway(gateways, gateway_id);
        var paging = ToolPaging.Read(page, per_page);
        if (feedback is { } f && f is < -1 or > 1)
        {
            throw ToolErrors.Invalid($"feedback must be -1, 0 or 1 (got {f})");
        }

        // The logs API's own parser reads the filters, so dates, booleans and numbers fail with its messages.
        var pairs = new List<KeyValuePair<string, string>>();
        Add(pairs, "start_date", start_date);
        Add(pairs, "end_date", end_date);
        Add(pairs, "feedback", feedback?.ToString(CultureInfo.InvariantCulture));
        Add(pairs, "success", success is { } s ? (s ? "true" : "false") : null);
        Add(pairs, "cached", cached is { } c ? (c ? "true" : "false") : null);
        Add(pairs, "model", model);
        Add(pairs, "provider", provider);
        Add(pairs, "order_by_direction", order_by_direction);
        if (!LogQueryParser.TryParse(pairs, LogQueryMode.List, out var query, out var errors))
        {
            throw ToolErrors.Invalid(errors);
        }

        // Cloudflare's tool offers every sort field; the store sorts by all of them (the REST list only by the first six).
        if (!string.IsNullOrEmpty(order_by))
        {
            if (!LogQueryParser.TryOrderKey(order_by, out var orderBy))
            {
                throw ToolErrors.Invalid($"order_by '{order_by}' is not one of created_at, provider, model, model_type, success, cached, cost, tokens_in, tokens_out, duration, feedback");
            }

            query = query with { OrderBy = orderBy };
        }

        query = query with { Page = paging.Page, PerPage = paging.PerPage };
        var found = LogQueryEngine.List(logs.Scan(gateway_id), query);
        var result = new JsonArray();
        foreach (var row in found.Rows)
        {
            result.Add(LogsJson.ToRow(row));
        }

        return ToolJson.Result(result, ToolJson.PageInfo(paging, result.Count, found.TotalCount));
    }

    [McpServerTool(Name = "search_logs", Title = "Search logs", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Search one gateway's logs for a text, case-insensitively, newest first: in each log's id, provider, model, path, " +
        "metadata and event_id, and in the kept request and response bodies (prompt text, error messages, tool names). Use it " +
        "when the user describes a request by what it said or what went wrong; use list_logs for structured filters. Each row " +
        "carries matched_in (row, request_body or response_body). Returns {\"result\":[row…],\"result_info\":{page,per_page,count,has_more}}.")]
    public async Task<string> SearchLogs(
        [Description("The gateway ID (the 'id' from list_gateways).")] string gateway_id,
        [Description("The text to look for, e.g. 'rate limit', a user's phrase, a model name or a metadata value.")] string query,
        [Description("Page number, starting at 1 (default 1).")] int? page = null,
        [Description("Rows per page, 1 to 50 (default 20).")] int? per_page = null,
        CancellationToken cancellationToken = default)
    {
        ToolLookup.RequireGateway(gateways, gateway_id);
        var paging = ToolPaging.Read(page, per_page);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw ToolErrors.Invalid("query must not be empty");
        }

        // Bodies are read row by row only until the page (and one more match, for has_more) is found.
        var result = new JsonArray();
        var skipped = 0L;
        var hasMore = false;
        foreach (var row in logs.Scan(gateway_id))
        {
            var where = await MatchAsync(row, query, cancellationToken);
            if (where is null)
            {
                continue;
            }

            if (skipped < paging.Skip)
            {
                skipped++;
                continue;
            }

            if (result.Count == paging.PerPage)
            {
                hasMore = true;
                break;
            }

            var node = LogsJson.ToRow(row);
            node["matched_in"] = where;
            result.Add(node);
        }

        var info = new JsonObject
        {
            ["page"] = paging.Page,
            ["per_page"] = paging.PerPage,
            ["count"] = result.Count,
            ["has_more"] = hasMore,
        };
        return ToolJson.Result(result, info);
    }

    private async ValueTask<string?> MatchAsync(LogRecord row, string text, CancellationToken cancellationToken)
    {
        if (LogSearch.Matches(row, text))
        {
            return "row";
        }

        if (!row.BodiesKept)
        {
            return null;
        }

        if (await BodyContainsAsync(row.Id, LogBodyKind.Request, text, cancellationToken))
        {
            return "request_body";
        }

        return await BodyContainsAsync(row.Id, LogBodyKind.Response, text, cancellationToken) ? "response_body" : null;
    }

    private async ValueTask<bool> BodyContainsAsync(string id, LogBodyKind kind, string text, CancellationToken cancellationToken)
    {
        var body = await logs.ReadBodyAsync(id, kind, cancellationToken);
        return body is { } bytes && System.Text.Encoding.UTF8.GetString(bytes.Span).Contains(text, StringComparison.OrdinalIgnoreCase);
    }

    private static void Add(List<KeyValuePair<string, string>> pairs, string name, string? value)
    {
        // An empty string is how a model often says "no filter".
        if (!string.IsNullOrEmpty(value))
        {
            pairs.Add(new(name, value));
        }
    }
}
