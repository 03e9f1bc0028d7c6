using System.Text.Json.Nodes;
using Gateway.Fast.Providers;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Management;

/// <summary><c>GET /api/management/providers</c> (ours): the provider wire ids a gateway URL can name, in catalog order, so a
/// client (the dashboard's URL list, its playground) never keeps its own copy of the table.</summary>
internal static class ProviderListHandlers
{
    public static IResult List()
    {
        var result = new JsonArray();
        foreach (var provider in ProviderCatalog.All)
        {
            result.Add(new JsonObject { ["id"] = provider.Id });
        }

        return V4Envelope.Ok(result);
    }
}
