using Gateway.Fast.Errors;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>One route kind's request path: the stages it composes, in order, for a request already in a <see cref="RequestContext"/>.</summary>
/// <remarks>
/// A handler answers the response itself (relayed, replayed from the cache, or a catalog answer) and returns
/// <see cref="GatewayError.None"/>, or returns the error the dispatcher writes in the caller's shape. Handlers are
/// singletons: all per-request state is in the context.
/// </remarks>
internal interface IRouteHandler
{
    ValueTask<GatewayError> RunAsync(RequestContext ctx);
}
