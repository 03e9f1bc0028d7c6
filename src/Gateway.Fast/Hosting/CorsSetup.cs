using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Hosting;

/// <summary>
/// Cross-origin access for browser callers (docs/gateway-api.md#simple-auth-for-the-default-routes): origins from <c>Gateway:CorsOrigins</c> (or <c>CORS_ORIGINS</c>),
/// comma-separated, <c>*</c> for any. Off when unset: no CORS headers, and preflights fall through to the routes.
/// </summary>
/// <remarks>
/// ASP.NET Core's CORS middleware answers preflights (<c>OPTIONS</c> with <c>Access-Control-Request-Method</c>) before
/// the proxy sees them, and adds <c>Access-Control-Allow-Origin</c> to answers; a request without <c>Origin</c> costs
/// it one header lookup. The gateway's response headers are exposed so browser code can read its log id.
/// </remarks>
internal static class CorsSetup
{
    private static readonly string[] ExposedHeaders =
        ["cf-aig-log-id", "cf-aig-request-id", "cf-aig-event-id", "cf-aig-cache-status", "cf-aig-step", "cf-aig-model", "cf-aig-provider", "Server-Timing"];

    public static string[] Origins(IConfiguration configuration)
    {
        string? value = configuration["Gateway:CorsOrigins"] ?? configuration["CORS_ORIGINS"];
        return string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static void AddGatewayCors(this IServiceCollection services, string[] origins)
    {
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }

            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(ExposedHeaders).SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
    }
}
