using System.ComponentModel;
using Gateway.Fast.Logging;
using Gateway.Fast.Management;
using Gateway.Fast.Storage;
using ModelContextProtocol.Server;

namespace Gateway.Fast.Mcp;

/// <summary>The tools that read one log: <c>get_log_details</c>, <c>get_log_request_body</c>, <c>get_log_response_body</c>.</summary>
/// <remarks>Parameter names are the wire names of Cloudflare's MCP server (<c>gateway_id</c>, <c>log_id</c>), so they are snake_case here.</remarks>
[McpServerToolType]
internal sealed class LogRecordTools(IGatewayStore gateways, ILogStore logs)
{
    private const string GatewayIdText = "The gateway ID (the 'id' from list_gateways).";
    private const string LogIdText = "The log ID (the 'id' of a row from list_logs or search_logs).";

    [McpServerTool(Name = "get_log_details", Title = "Get a log's details", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Get everything recorded about one request through a gateway: provider, model, path, status_code, success, " +
        "cached, duration (ms), tokens_in/tokens_out, cost (USD), metadata, event_id, feedback and score, team, DLP and guardrail " +
        "outcomes, time to first token, body sizes, and the first 4 KiB of the request and response bodies (request_head, " +
        "response_head). Use get_log_request_body / get_log_response_body for whole bodies. Returns {\"result\":{…}}.")]
    public async Task<string> GetLogDetails(
        [Description(GatewayIdText)] string gateway_id,
        [Description(LogIdText)] string log_id,
        CancellationToken cancellationToken)
    {
        var record = ToolLookup.RequireLog(gateways, logs, gateway_id, log_id);
        var request = await logs.ReadBodyAsync(record.Id, LogBodyKind.Request, cancellationToken);
        var response = await logs.ReadBodyAsync(record.Id, LogBodyKind.Response, cancellationToken);
        return ToolJson.Result(LogsJson.ToDetail(record, request, response));
    }

    [McpServerTool(Name = "get_log_request_body", Title = "Get a log's request body", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Get the whole request body a caller sent through the gateway for one log (the prompt, messages, tools, " +
        "parameters), as JSON when it was JSON. Fails when payload logging was off for that request. Returns {\"result\":body}.")]
    public Task<string> GetLogRequestBody(
        [Description(GatewayIdText)] string gateway_id,
        [Description(LogIdText)] string log_id,
        CancellationToken cancellationToken)
        => BodyAsync(gateway_id, log_id, LogBodyKind.Request, cancellationToken);

    [McpServerTool(Name = "get_log_response_body", Title = "Get a log's response body", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Get the whole response body the provider (or the gateway, on an error it answered itself) returned for one log: " +
        "the completion, an error body, or the event stream text of a streamed answer. Fails when payload logging was off for " +
        "that request. Returns {\"result\":body}.")]
    public Task<string> GetLogResponseBody(
        [Description(GatewayIdText)] string gateway_id,
        [Description(LogIdText)] string log_id,
        CancellationToken cancellationToken)
        => BodyAsync(gateway_id, log_id, LogBodyKind.Response, cancellationToken);

    private async Task<string> BodyAsync(string gateway, string id, LogBodyKind kind, CancellationToken cancellationToken)
    {
        var record = ToolLookup.RequireLog(gateways, logs, gateway, id);
        var body = await logs.ReadBodyAsync(record.Id, kind, cancellationToken);
        var request = kind == LogBodyKind.Request;
        if (body is not { } bytes)
        {
            throw ToolErrors.BodyNotKept(record.Id, request ? "request" : "response");
        }

        return ToolJson.Result(ToolJson.Body(bytes, request ? record.RequestContentType : record.ResponseContentType));
    }
}
