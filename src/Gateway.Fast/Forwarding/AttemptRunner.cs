using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Resilience;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Forwarding;

/// <summary>Runs the attempts of one upstream call under a <see cref="RequestPolicy"/>: timeout per attempt, retries with backoff.</summary>
/// <remarks>
/// Nothing reaches the client here: an answer is only looked at (status) and either returned for relay or discarded
/// before the next attempt, so "never retry once a byte has reached the client" holds by construction (docs/gateway-api.md#timeouts-retries-and-fallbacks).
/// A body that streams from the caller (not buffered) can be sent once only, so it gets one attempt.
/// </remarks>
internal sealed class AttemptRunner
{
    private readonly ProxyForwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly int _processTimeoutMs;

    public AttemptRunner(ProxyForwarder forwarder, TimeProvider time, IOptions<GatewayOptions> options)
    {
        _forwarder = forwarder;
        _time = time;
        _processTimeoutMs = options.Value.UpstreamTimeoutMs;
    }

    /// <param name="ctx">The request.</param>
    /// <param name="upstreamUrl">Where each attempt goes.</param>
    /// <param name="stepBody">A Universal step's body (sent as JSON with the step's headers only); null sends the caller's own request.</param>
    /// <param name="stepHeaders">A Universal step's headers, or null.</param>
    /// <param name="copyCallerHeaders">Send the caller's own headers too (passthrough, the unified API); a Universal step sends only its own.</param>
    /// <param name="policy">Timeout, attempts and backoff, already merged.</param>
    /// <param name="waitsOnFinalAttempt">The last attempt of the last step of a chain waits longer (docs/gateway-api.md#timeouts-retries-and-fallbacks).</param>
    public async ValueTask<UpstreamAttempt> RunAsync(RequestContext ctx, string upstreamUrl, byte[]? stepBody,
        IReadOnlyList<KeyValuePair<string, string>>? stepHeaders, bool copyCallerHeaders, RequestPolicy policy, bool waitsOnFinalAttempt)
    {
        bool replayable = stepBody is not null || ctx.BodyBuffered || ProxyForwarder.RequestContent(ctx) is null;
        for (int attempt = 1; ; attempt++)
        {
            var content = stepBody is not null ? JsonContent(stepBody) : ProxyForwarder.RequestContent(ctx);
            int timeoutMs = policy.AttemptTimeoutMs(attempt, waitsOnFinalAttempt, _processTimeoutMs);
            var result = await _forwarder.SendAsync(ctx, upstreamUrl, content, stepHeaders, copyCallerHeaders, timeoutMs);
            if (!replayable || !policy.HasAttemptAfter(attempt)
                || !RetryClassifier.ShouldRetry(result.StatusCode, result.Error, responseStarted: false))
            {
                return result;
            }

            var delay = Backoff.NextDelay(policy, retry: attempt, result.StatusCode, result.Response?.Headers.RetryAfter, _time.GetUtcNow());
            result.Discard();
            try
            {
                await Backoff.WaitAsync(delay, _time, ctx.Http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller left between attempts: the attempt before was reported on its own (or was an answer, not a failure).
                _forwarder.Errors.Report(ctx, ForwardingFailureKind.ClientGone, status: 0, exception: null);
                return new UpstreamAttempt(null, null, GatewayError.ClientClosed, 0, 0);
            }
        }
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
