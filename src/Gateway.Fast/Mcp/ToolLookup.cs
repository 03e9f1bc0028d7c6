using Gateway.Fast.Logging;
using Gateway.Fast.Storage;

namespace Gateway.Fast.Mcp;

/// <summary>Finds what a tool argument names, or fails the tool with a message the model can act on.</summary>
internal static class ToolLookup
{
    public static void RequireGateway(IGatewayStore gateways, string? gateway)
    {
        if (string.IsNullOrWhiteSpace(gateway))
        {
            throw ToolErrors.Invalid("gateway_id is required (call list_gateways to see the ids)");
        }

        if (!gateways.TryGet(gateway, out _))
        {
            throw ToolErrors.GatewayNotFound(gateway);
        }
    }

    /// <summary>The log row; a row of another gateway is as absent as an unknown id, as in the logs API.</summary>
    public static LogRecord RequireLog(IGatewayStore gateways, ILogStore logs, string? gateway, string? id)
    {
        RequireGateway(gateways, gateway);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw ToolErrors.Invalid("log_id is required (the 'id' of a row from list_logs or search_logs)");
        }

        if (!logs.TryGet(id, out var record) || record.GatewayId != gateway)
        {
            throw ToolErrors.LogNotFound(gateway!, id);
        }

        return record;
    }
}
