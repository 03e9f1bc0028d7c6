using Gateway.Fast.LogQueries;
using ModelContextProtocol;

namespace Gateway.Fast.Mcp;

/// <summary>
/// Failures a tool reports to the model, for the tool to throw. The SDK turns an <see cref="McpException"/> thrown by a
/// tool into a result with <c>isError: true</c> carrying its message (any other exception becomes a generic text), so
/// each message says what was wrong and which tool or value fixes it.
/// </summary>
internal static class ToolErrors
{
    public static McpException GatewayNotFound(string gateway)
        => new($"Gateway '{gateway}' not found. Call list_gateways to see the gateway ids.");

    public static McpException LogNotFound(string gateway, string id)
        => new($"Log '{id}' not found in gateway '{gateway}'. Log ids come from list_logs or search_logs (the 'id' field).");

    public static McpException BodyNotKept(string id, string name)
        => new($"The {name} body of log '{id}' was not kept (payload logging was off for that request, or the body was deleted).");

    public static McpException Invalid(string message) => new("Invalid arguments: " + message);

    public static McpException Invalid(IReadOnlyList<LogQueryError> errors)
        => Invalid(string.Join("; ", errors.Select(static e => e.Message.StartsWith(e.Path, StringComparison.Ordinal) ? e.Message : $"{e.Path}: {e.Message}")));
}
