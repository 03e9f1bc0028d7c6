using Gateway.Fast.Compat;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>
/// Stage 6, forward: the attempts under one merged policy (timeout to the first byte, retries with backoff; see
/// <see cref="AttemptRunner"/>), then the relay of the answer to the client, as it came or translated back into
/// OpenAI's shape (<see cref="ProxyForwarder"/>).
/// </summary>
internal sealed class ForwardStage(AttemptRunner attempts, ProxyForwarder forwarder, IOptions<GatewayOptions> options)
{
    private readonly GatewayOptions _options = options.Value;

    /// <summary>The request's policy: <c>cf-aig-*</c> headers over the gateway's settings over the defaults.</summary>
    public RequestPolicy PolicyFor(RequestContext ctx, IHeaderDictionary headers) => PolicyResolver.Resolve(ctx.Gateway!, headers, null, _options);

    /// <summary>A Universal step's policy: its <c>config</c> and headers first.</summary>
    public RequestPolicy PolicyFor(RequestContext ctx, Universal.UniversalStep step) => step.ResolvePolicy(ctx.Gateway!, ctx.Http.Request.Headers, _options);

    /// <inheritdoc cref="AttemptRunner.RunAsync"/>
    public ValueTask<UpstreamAttempt> SendAsync(RequestContext ctx, string url, byte[]? body,
        IReadOnlyList<KeyValuePair<string, string>>? headers, bool copyCallerHeaders, RequestPolicy policy, bool waitsOnFinalAttempt)
        => attempts.RunAsync(ctx, url, body, headers, copyCallerHeaders, policy, waitsOnFinalAttempt);

    /// <summary>Relays the answer as the provider sent it.</summary>
    public ValueTask<GatewayError> RelayAsync(RequestContext ctx, UpstreamAttempt attempt) => forwarder.RelayAsync(ctx, attempt);

    /// <summary>Relays a unified call's answer: as it came from a provider that speaks OpenAI, else translated as it streams.</summary>
    public ValueTask<GatewayError> RelayAsync(RequestContext ctx, in UpstreamAttempt attempt, UnifiedCall call) =>
        call.Translator is null
            ? forwarder.RelayAsync(ctx, attempt)
            : forwarder.RelayTranslatedAsync(ctx, attempt, call.Translator,
                new CompatResponseInfo("chatcmpl-" + ctx.LogId, call.Model, ctx.Log.CreatedAtUnixMs / 1000, call.IncludeUsage));
}
