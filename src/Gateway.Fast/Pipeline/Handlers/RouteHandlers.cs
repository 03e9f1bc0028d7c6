using Gateway.Fast.Routing;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>The handler of each route kind, picked once per request by the dispatcher; a new route kind is one more row here.</summary>
internal sealed class RouteHandlers(PassthroughHandler passthrough, UnifiedHandler unified, UniversalHandler universal,
    TeamPathHandler teamPaths, DefaultRoutesHandler defaultRoutes)
{
    /// <summary>The handler for <paramref name="kind"/>; null for <see cref="RouteKind.Malformed"/> (the dispatcher answers 2000).</summary>
    public IRouteHandler? For(RouteKind kind) => kind switch
    {
        RouteKind.Provider => passthrough,
        RouteKind.Compat => unified,
        RouteKind.Universal => universal,
        RouteKind.TeamBasePath => teamPaths,
        RouteKind.DefaultRoute => defaultRoutes,
        _ => null,
    };
}
