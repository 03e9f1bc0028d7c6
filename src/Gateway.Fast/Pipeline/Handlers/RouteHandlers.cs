using Gateway.Fast.Routing;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>The handler of each route kind, picked once per request by the dispatcher; a new route kind is one more row here.</summary>
internal sealed class RouteHandlers(PassthroughHandler passthrough, UnifiedHandler unified, UniversalHandler universal,
    TeamPathHandler teamPaths, DefaultRoutesHandler defaultRoutes)
{
    private readonly PassthroughHandler _passthrough = passthrough;
    private readonly UnifiedHandler _unified = unified;
    private readonly UniversalHandler _universal = universal;
    private readonly TeamPathHandler _teamPaths = teamPaths;
    private readonly DefaultRoutesHandler _defaultRoutes = defaultRoutes;

    /// <summary>The handler for <paramref name="kind"/>; null for <see cref="RouteKind.Malformed"/> (the dispatcher answers 2000).</summary>
    public IRouteHandler? For(RouteKind kind) => kind switch
    {
        RouteKind.Provider => _passthrough,
        RouteKind.Compat => _unified,
        RouteKind.Universal => _universal,
        RouteKind.TeamBasePath => _teamPaths,
        RouteKind.DefaultRoute => _defaultRoutes,
        _ => null,
    };
}
