using Gateway.Fast.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Hosting;

/// <summary>
/// <c>/health</c>: liveness, each provider's effective upstream (host only: never credentials or paths that may hold them),
/// whether the process environment holds a key for it (a boolean: never the key), the process's memory and its descriptors,
/// and the log and cache folders' disk use against their budgets (<see cref="StorageHealth"/>).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", static (HttpContext http) =>
        {
            var registry = http.RequestServices.GetRequiredService<ProviderRegistry>();
            var environmentKeys = http.RequestServices.GetRequiredService<Access.EnvironmentProviderKeys>();
            var providers = new Dictionary<string, ProviderHealth>(registry.All.Count);
            foreach (var p in registry.All)
            {
                providers[p.Id] = new ProviderHealth(Describe(p.BaseUrl), p.Overridden, environmentKeys.IsConfigured(p.Id));
            }

            var services = http.RequestServices;
            var logs = StorageHealth.Logs(services.GetRequiredService<Logging.FasterLogStore>());
            var cacheDisk = StorageHealth.Cache(services.GetRequiredService<Caching.CacheDiskUsage>());
            var memory = ResourceHealth.Memory(services.GetRequiredService<Caching.ICacheStore>());
            var redis = Fleet.FleetServiceCollectionExtensions.Health(services);
            var report = new HealthReport("ok", providers, memory, ResourceHealth.Descriptors(), logs, cacheDisk, redis);
            return Results.Json(report, HealthJsonContext.Default.HealthReport);
        });
        return app;
    }

    /// <summary>Scheme and authority of a base URL (templates kept readable), without any user-info.</summary>
    private static string Describe(string baseUrl)
    {
        int scheme = baseUrl.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return "(invalid)";
        }

        int hostStart = scheme + 3;
        int pathStart = baseUrl.IndexOf('/', hostStart);
        var authority = pathStart < 0 ? baseUrl[hostStart..] : baseUrl[hostStart..pathStart];
        int at = authority.LastIndexOf('@');
        return string.Concat(baseUrl.AsSpan(0, hostStart), at < 0 ? authority : authority[(at + 1)..]);
    }
}

/// <summary>One provider in <c>/health</c>.</summary>
/// <param name="Upstream">Scheme and host the provider's calls go to.</param>
/// <param name="Configured">The upstream was overridden by configuration.</param>
/// <param name="KeyFromEnvironment">The process environment holds a key for it (<c>OPENAI_API_KEY</c>…).</param>
public sealed record ProviderHealth(string Upstream, bool Configured, bool KeyFromEnvironment);

/// <summary>The body of <c>/health</c>: liveness, the providers, memory and descriptors, the stores' disk use against their budgets,
/// and in fleet mode the Redis connection (absent on a single node).</summary>
public sealed record HealthReport(string Status, Dictionary<string, ProviderHealth> Providers, MemoryHealth Memory, DescriptorHealth Descriptors,
    LogsHealth Logs, CacheHealth Cache,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    Fleet.RedisHealth? Redis);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
