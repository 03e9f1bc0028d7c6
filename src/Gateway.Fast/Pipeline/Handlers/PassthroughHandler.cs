using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline.Stages;
using Gateway.Fast.Providers;

namespace Gateway.Fast.Pipeline.Handlers;

/// <summary>
/// <c>/v1/{account}/{gateway}/{provider}/{path}</c>: the caller's request forwarded to the provider's own API, the answer
/// relayed as it comes. Every stage runs; nothing is translated.
/// </summary>
internal sealed class PassthroughHandler(ProviderRegistry providers, AdmissionStage admission, BodyStage body, CacheStage cache,
    ForwardStage forward) : IRouteHandler
{
    public async ValueTask<GatewayError> RunAsync(RequestContext ctx)
    {
        // The provider first: it decides the shape every later error is written in.
        if (!providers.TryGet(ctx.Path.AsSpan()[ctx.Route.Provider], out var provider))
        {
            ctx.ErrorDetail = ErrorDetails.UnknownProvider(ctx.Path.AsSpan()[ctx.Route.Provider]);
            return GatewayError.InvalidProvider;
        }

        ctx.Provider = provider;
        ctx.Shape = provider.Descriptor.ErrorShape;

        // :: 2 admission
        var gatewayError = await admission.AdmitAsync(ctx);
        if (gatewayError != GatewayError.None)
        {
            return gatewayError;
        }

        // The upstream URL from the provider's path rule; its host comes only from the catalog or configuration.
        var request = ctx.Http.Request;
        var urlError = UpstreamUrl.TryBuild(provider, ctx.Rest, ctx.Account, request.QueryString.Value, out string upstreamUrl);
        if (urlError != GatewayError.None)
        {
            return urlError;
        }

        // :: 3 body
        var bodyError = await body.ReadAsync(ctx);
        if (bodyError != GatewayError.None)
        {
            return bodyError;
        }

        // :: 4 guard: before the cache, so a blocked prompt gets no cached answer either
        var guardError = GuardStage.CheckRequestBody(ctx);
        if (guardError != GatewayError.None)
        {
            return guardError;
        }

        // :: 5 cache: a HIT answers here; otherwise the relay below tees the body into the entry
        if (await cache.TryServeAsync(ctx, request.Headers, provider.Id, ctx.Rest, request.QueryString.Value, request.Headers,
                ctx.BodyBuffered ? ctx.Body.Span : default, bodyCacheable: ctx.BodyBuffered || !BodyStage.HasBody(ctx)))
        {
            return GatewayError.None;
        }

        // :: 6 forward: attempts under the merged policy, then the relay
        var policy = forward.PolicyFor(ctx, request.Headers);
        var attempt = await forward.SendAsync(ctx, upstreamUrl, body: null, headers: null, copyCallerHeaders: true, policy,
            waitsOnFinalAttempt: false);
        return attempt.Response is null ? attempt.Error : await forward.RelayAsync(ctx, attempt);
    }
}
