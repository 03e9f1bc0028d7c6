using Gateway.Fast.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Access;

/// <summary>Endpoint filter on every management group: no valid management token, no handler (401, code 10000). In fleet mode a
/// change refused because Redis is unreachable becomes 503 here, the one place every management write passes.</summary>
internal static class ManagementAuthFilter
{
    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var verifier = context.HttpContext.RequestServices.GetRequiredService<ManagementTokenVerifier>();
        if (!verifier.IsAuthorized(context.HttpContext.Request))
        {
            return ValueTask.FromResult<object?>(V4Envelope.Unauthorized);
        }

        ValueTask<object?> result;
        try
        {
            result = next(context);
        }
        catch (Storage.ConfigUnavailableException e)
        {
            return ValueTask.FromResult<object?>(Unavailable(e));
        }

        return result.IsCompletedSuccessfully ? result : AwaitAsync(result);
    }

    private static V4Envelope Unavailable(Storage.ConfigUnavailableException e) => V4Envelope.Fail(StatusCodes.Status503ServiceUnavailable, e.Message);

    private static async ValueTask<object?> AwaitAsync(ValueTask<object?> result)
    {
        try
        {
            return await result.ConfigureAwait(false);
        }
        catch (Storage.ConfigUnavailableException e)
        {
            return Unavailable(e);
        }
    }
}
