using Microsoft.AspNetCore.Routing;

namespace Gateway.Fast.Management;

/// <summary>Maps the management REST API (cold path, minimal APIs).</summary>
public static class ManagementEndpoints
{
    // TEMPORARY: replaced by the management work.
    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder app) => app;
}
