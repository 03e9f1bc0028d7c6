using System.ComponentModel;
using System.Text.Json.Nodes;
using Gateway.Fast.Management;
using Gateway.Fast.Storage;
using ModelContextProtocol.Server;

namespace Gateway.Fast.Mcp;

/// <summary>The <c>list_gateways</c> tool over the in-memory gateway snapshot.</summary>
/// <remarks>Parameter names are the wire names of Cloudflare's MCP server (<c>per_page</c>), so they are snake_case here.</remarks>
[McpServerToolType]
internal sealed class GatewayTools(IGatewayStore gateways)
{
    [McpServerTool(Name = "list_gateways", Title = "List gateways", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("List the AI gateways on this server with their settings (caching, rate limits, log collection, authentication), " +
        "oldest first, one page at a time. Each gateway's 'id' is the gateway_id the other tools take. " +
        "Returns {\"result\":[gateway…],\"result_info\":{page,per_page,count,total_count}}.")]
    public string ListGateways(
        [Description("Page number, starting at 1 (default 1).")] int? page = null,
        [Description("Gateways per page, 1 to 50 (default 20).")] int? per_page = null)
    {
        var paging = ToolPaging.Read(page, per_page);
        var all = gateways.List();
        var result = new JsonArray();
        for (var i = paging.Skip; i < all.Count && result.Count < paging.PerPage; i++)
        {
            // No account in an MCP call: account_id/account_tag stay null, as on /api/management.
            result.Add(GatewayJson.ToNode(all[(int)i], null));
        }

        return ToolJson.Result(result, ToolJson.PageInfo(paging, result.Count, all.Count));
    }
}
