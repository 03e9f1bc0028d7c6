using Gateway.Fast.Pipeline.Handlers;
using Gateway.Fast.Pipeline.Stages;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Pipeline;

/// <summary>Registers the request path's stages and route handlers (all singletons: per-request state lives in the context).</summary>
internal static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddRequestPipeline(this IServiceCollection services)
    {
        services.AddSingleton<AdmissionStage>();
        services.AddSingleton<BodyStage>();
        services.AddSingleton<TranslateStage>();
        services.AddSingleton<CacheStage>();
        services.AddSingleton<ForwardStage>();
        services.AddSingleton<RecordStage>();
        services.AddSingleton<RowDeferral>();
        services.AddSingleton<CatalogEndpoints>();
        services.AddSingleton<PassthroughHandler>();
        services.AddSingleton<UnifiedHandler>();
        services.AddSingleton<UniversalHandler>();
        services.AddSingleton<TeamPathHandler>();
        services.AddSingleton<DefaultRoutesHandler>();
        services.AddSingleton<RouteHandlers>();
        return services;
    }
}
