using System.Diagnostics;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Pipeline.Handlers;
using Gateway.Fast.Pipeline.Stages;
using Gateway.Fast.Routing;
using Gateway.Fast.Utilities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Hosting;

/// <summary>
/// The terminal request delegate of every proxy path (<c>/v1/…</c> and the team base paths): it parses the route once,
/// hands the request to its route kind's handler, and ends it (error body, cache commit, metrics, log row). Anything
/// that is not a proxy path goes on to the next middleware (management API, <c>/health</c>, <c>/metrics</c>).
/// </summary>
/// <remarks>
/// Every handler composes the same stages, in this order (files under <c>Pipeline/</c>):
/// <code>
/// 1 route      RouteParser (or TeamBasePath) over the path, once, into a pooled RequestContext     Routing/, here
/// 2 admission  the gateway's settings, authentication, log controls, rate limits                 Stages/AdmissionStage
/// 3 body       a JSON body read once into a pooled buffer, model and stream peeked               Stages/BodyStage
/// 4 guard      DLP and guardrails on the prompt: block, flag or mask, before the cache           Stages/GuardStage
///   translate  (unified API only) routed by model, written as the provider's native call         Stages/TranslateStage
/// 5 cache      key, lookup, HIT replayed; identical requests in flight wait for the first        Stages/CacheStage
/// 6 forward    attempts (timeout, retries), then the relay (answers guarded or translated)       Stages/ForwardStage
/// 7 record     the cache commit, metrics; the log row into the bounded queue, after the response  Stages/CacheStage, RecordStage, RowDeferral
/// </code>
/// Handlers: <see cref="PassthroughHandler"/> (<c>/v1/{a}/{g}/{provider}/…</c>), <see cref="UnifiedHandler"/>
/// (<c>…/compat/…</c>), <see cref="UniversalHandler"/> (<c>POST /v1/{a}/{g}</c>), <see cref="TeamPathHandler"/>
/// (<c>/openai/…</c> and the other base paths), <see cref="DefaultRoutesHandler"/> (<c>/v1/chat/completions</c> …).
/// </remarks>
internal sealed class GatewayApp
{
    private readonly RequestDelegate _next;
    private readonly RouteHandlers _handlers;
    private readonly CacheStage _cache;
    private readonly RecordStage _record;
    private readonly RowDeferral _rows;
    private readonly TimeProvider _time;

    public GatewayApp(RequestDelegate next, RouteHandlers handlers, CacheStage cache, RecordStage record, RowDeferral rows,
        TimeProvider time)
    {
        _next = next;
        _handlers = handlers;
        _cache = cache;
        _record = record;
        _rows = rows;
        _time = time;
    }

    public Task InvokeAsync(HttpContext http)
    {
        string? path = http.Request.Path.Value;
        var route = RouteParser.Parse(path);
        if (route.Kind == RouteKind.NotProxy && !TeamBasePath.TryParse(path, out route))
        {
            return _next(http);
        }

        return ProxyAsync(http, path!, route);
    }

    private async Task ProxyAsync(HttpContext http, string path, RouteMatch route)
    {
        var ctx = _rows.Rent();
        ctx.Start(http, path, route, Stopwatch.GetTimestamp());
        ctx.Log.CreatedAtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            ctx.LogId = Ulid.NewUlid(_time);
            var headers = http.Response.Headers;
            headers["cf-aig-log-id"] = ctx.LogId;
            headers["cf-aig-request-id"] = ctx.LogId; // equal for single-step requests
            var eventId = http.Request.Headers[ControlHeaders.EventId];
            if (eventId.Count == 1)
            {
                headers[ControlHeaders.EventId] = eventId;
            }

            var handler = _handlers.For(route.Kind);
            var error = handler is null ? GatewayError.MalformedPath : await handler.RunAsync(ctx);
            ctx.Error = error;
            if (error == GatewayError.None)
            {
                await _cache.CommitAsync(ctx);
            }
            else
            {
                if (error == GatewayError.RequestBodyTooLarge)
                {
                    // The unread body cannot be drained past the limit: tell the client this connection ends here,
                    // so it does not send its next request on a socket Kestrel is about to close.
                    headers.Connection = "close";
                }

                await (ctx.ErrorDetail is null
                    ? ErrorWriter.WriteAsync(http, error, ctx.Shape)
                    : ErrorWriter.WriteAsync(http, error, ctx.Shape, ctx.ErrorDetail));
            }
        }
        finally
        {
            ctx.Cache.LandFlight(); // nothing was stored (an error, a cut stream): one waiter goes to the provider
            _record.RecordMetrics(ctx);
            await _rows.EndAsync(ctx); // the row is built after the delegate returns: the connection's next request need not wait for it
        }
    }
}
