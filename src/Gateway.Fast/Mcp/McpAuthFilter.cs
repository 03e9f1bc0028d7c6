using Gateway.Fast.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Mcp;

/// <summary>Endpoint filter on the MCP endpoints: no valid management token, no MCP (401 with a JSON-RPC error body).</summary>
internal static class McpAuthFilter
{
    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var verifier = context.HttpContext.RequestServices.GetRequiredService<ManagementTokenVerifier>();
        return verifier.IsAuthorized(context.HttpContext.Request)
            ? next(context)
            : ValueTask.FromResult<object?>(Unauthorized.Instance);
    }

    /// <summary>
    /// The shape the MCP SDK gives its own HTTP-level refusals (a JSON-RPC error with a null id), so an MCP client shows the
    /// message; <c>WWW-Authenticate: Bearer</c> names the scheme.
    /// </summary>
    private sealed class Unauthorized : IResult
    {
        public static readonly Unauthorized Instance = new();

        private static readonly byte[] Body =
            """{"jsonrpc":"2.0","error":{"code":-32001,"message":"Unauthorized: send the gateway's management token as Authorization: Bearer <CF_AIG_MANAGEMENT_API_TOKEN>"},"id":null}"""u8.ToArray();

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.ContentType = "application/json";
            response.Headers.WWWAuthenticate = "Bearer";
            response.Headers.CacheControl = "no-store";
            return response.Body.WriteAsync(Body, httpContext.RequestAborted).AsTask();
        }
    }
}
