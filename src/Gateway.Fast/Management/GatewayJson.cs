using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Fast.Configuration;

namespace Gateway.Fast.Management;

/// <summary>The API's view of a gateway: the stored fields plus <c>account_id</c>/<c>account_tag</c> (older Cloudflare responses carry them; docs/gateway-api.md#gateways).</summary>
internal static class GatewayJson
{
    public static JsonObject ToNode(GatewaySettings settings, string? account)
    {
        var node = JsonSerializer.SerializeToNode(settings, GatewaySettingsJsonContext.Default.GatewaySettings)!.AsObject();

        // Self-hosted gateways belong to no account: echo the one in the URL, as Cloudflare's responses carry theirs.
        node["account_id"] = account;
        node["account_tag"] = account;
        return node;
    }
}
