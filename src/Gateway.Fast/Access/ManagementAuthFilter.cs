using Gateway.Fast.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Access;

/// <summary>Endpoint filter on every management group: no valid management token, no handler (401, code 10000).</summary>
internal static class ManagementAuthFilter
{
    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var verifier = context.HttpContext.RequestServices.GetRequiredService<ManagementTokenVerifier>();
        return verifier.IsAuthorized(context.HttpContext.Request)
            ? next(context)
            : ValueTask.FromResult<object?>(V4Envelope.Unauthorized);
    }
}
