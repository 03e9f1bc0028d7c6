using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Management;

/// <summary>A JSON object sent as it is, with no v4 envelope: the team-key calls on <c>/tokens</c> answer this way (docs/gateway-api.md#team-api-keys).</summary>
/// <remarks>Clients written for a team-key proxy read <c>apiKey</c> at the top level; inside an envelope they would find nothing.</remarks>
internal sealed class BareJson(JsonObject body) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";

        // The body carries a fresh key: no cache on the way may keep it.
        response.Headers.CacheControl = "no-store";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            body.WriteTo(writer);
        }

        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}
