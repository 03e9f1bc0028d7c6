using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Fast.Caching;
using Gateway.Fast.Errors;
using Gateway.Fast.Metrics;
using Gateway.Fast.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Forwarding;

/// <summary>Sends one request upstream and streams the answer back to the client.</summary>
/// <remarks>
/// <code>
/// :: Step 1  request message: method, URL, headers (minus hop-by-hop and cf-aig-*), body (pooled or streamed)
/// :: Step 2  send; a timer bounds the wait for response headers (cf-aig-request-timeout), RequestAborted cancels
/// :: Step 3  status and headers to the client (minus hop-by-hop), plus cf-aig-cache-status and Server-Timing;
///            an event stream starts the response at once so the client sees headers before the first event
/// :: Step 4  body: <see cref="BodyRelay"/> through a body filter (passthrough, or guarded: held until judged),
///            upstream Stream → Response.BodyWriter, flushed after every read, so SSE events are never held
/// </code>
/// Failures before Step 3 are returned as a <see cref="GatewayError"/> for the caller's error shape. After the
/// status is sent nothing can be retried: a broken upstream ends an event stream with an error event in the caller's
/// shape, and cuts any other body by aborting the connection, so a cut stream never looks complete.
/// </remarks>
internal sealed partial class ProxyForwarder
{
    private static readonly double TicksToMs = 1000.0 / Stopwatch.Frequency;
    private static readonly long TicksPerMicrosecond = Stopwatch.Frequency % 1_000_000 == 0 ? Stopwatch.Frequency / 1_000_000 : 0;
    private readonly HttpMessageInvoker _invoker;
    private readonly Version _cleartextVersion;
    private readonly HttpVersionPolicy _cleartextPolicy;
    private readonly TimeProvider _time;

    public ProxyForwarder(UpstreamInvoker invoker, TimeProvider time, ILogger<ForwardingErrorReporter> logger, GatewayMetrics metrics)
    {
        _invoker = invoker.Invoker;
        _cleartextVersion = invoker.CleartextVersion;
        _cleartextPolicy = invoker.CleartextPolicy;
        _time = time;
        Errors = new ForwardingErrorReporter(logger, metrics);
    }

    /// <summary>Where every failed attempt and relay is reported, once (the attempt runner reports a caller lost in a backoff).</summary>
    internal ForwardingErrorReporter Errors { get; }

    /// <summary>The body to send: the pooled buffer when it was read, the request stream otherwise, none without a body.</summary>
    public static HttpContent? RequestContent(RequestContext ctx)
    {
        var http = ctx.Http;
        return ctx.BodyBuffered
            ? ctx.Body
            : http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true ? new StreamContent(http.Request.Body) : null;
    }

    /// <summary>
    /// Steps 1 and 2: sends one attempt and waits for the upstream's response headers, nothing written to the client.
    /// <c>extraHeaders</c> replace the caller's headers of the same name (a Universal step's <c>headers</c>).
    /// </summary>
    public async ValueTask<UpstreamAttempt> SendAsync(RequestContext ctx, string upstreamUrl, HttpContent? content,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, bool copyCallerHeaders, int timeoutMs)
    {
        var http = ctx.Http;
        var request = http.Request;

        // :: Step 1
        var uri = new Uri(upstreamUrl, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), uri)
        {
            Version = uri.Scheme == Uri.UriSchemeHttps ? HttpVersion.Version20 : _cleartextVersion,
            VersionPolicy = uri.Scheme == Uri.UriSchemeHttps ? HttpVersionPolicy.RequestVersionOrLower : _cleartextPolicy,
        };
        if (content is PooledBodyContent pooled)
        {
            pooled.Headers.Clear(); // reused across attempts: the previous attempt's Content-Type would be added twice
        }

        if (copyCallerHeaders)
        {
            CopyRequestHeaders(request, message, content, unified: ctx.CompatModel is not null, skipAuthorization: ctx.Auth.CredentialInAuthorization,
                inspected: ctx.Guard is { ChecksResponse: true });
            if (ctx.Auth.InjectedCredential is { Aws: null } credential)
            {
                message.Headers.TryAddWithoutValidation(credential.HeaderName, credential.HeaderValue);
            }
        }

        if (extraHeaders is not null)
        {
            ApplyExtraHeaders(extraHeaders, message, content);
        }

        message.Content = content;
        if (ctx.Auth.InjectedCredential?.Aws is { } aws)
        {
            // Stored AWS keys: each attempt is signed over its final URL, headers and body, with a fresh date.
            Signing.SigV4Signer.Sign(message, content is null ? default : ctx.Auth.SigningBody.Span, aws, "bedrock", _time.GetUtcNow());
        }

        // :: Step 2
        var cts = ctx.PrepareAttemptCancellation();
        cts.CancelAfter(timeoutMs);
        long sendStart = Stopwatch.GetTimestamp();
        try
        {
            var upstream = await _invoker.SendAsync(message, cts.Token);
            long headersAt = Stopwatch.GetTimestamp();
            ctx.UpstreamTicks += headersAt - sendStart;
            cts.CancelAfter(Timeout.Infinite); // the timeout bounds the first byte only; streams may run longer (docs/gateway-api.md#timeouts-retries-and-fallbacks)
            return new UpstreamAttempt(upstream, message, GatewayError.None, sendStart, headersAt);
        }
        catch (Exception ex)
        {
            ctx.UpstreamTicks += Stopwatch.GetTimestamp() - sendStart;
            message.Dispose();
            var error = ForwardingFailure.Classify(ex, http, cts);
            Errors.Report(ctx, ForwardingFailure.KindOf(ex, error, inBody: false), status: 0, ex);
            return new UpstreamAttempt(null, null, error, sendStart, 0);
        }
    }

    /// <summary>Steps 3 and 4: status, headers and body to the client; disposes the attempt.</summary>
    public async ValueTask<GatewayError> RelayAsync(RequestContext ctx, UpstreamAttempt attempt)
    {
        var upstream = attempt.Response!;
        using (attempt.Message)
        using (upstream)
        {
            // :: Step 3
            var response = ctx.Http.Response;
            response.StatusCode = (int)upstream.StatusCode;
            bool eventStream = CopyResponseHeaders(upstream, response);
            SelectUsageReader(ctx, response);
            var headers = response.Headers;
            headers[CacheHeaders.Status] = CacheHeaders.StatusFor(ctx.Cache.Controls.Mode);
            StartCacheCapture(ctx, response.StatusCode, headers, eventStream);

            headers["Server-Timing"] = FormatServerTiming(ctx.StartTimestamp, attempt.SendStart, attempt.HeadersAt);

            // :: Step 4 (a gateway that checks responses holds each piece of a text answer until it has been judged)
            RelayResult result;
            bool wholeBody = false;
            if (ctx.Guard is { ChecksResponse: true } guard && response.StatusCode is >= 200 and < 300
                && (eventStream || IsJson(response.ContentType)))
            {
                guard.StartResponse();
                wholeBody = !eventStream;
                result = eventStream
                    ? await BodyRelay.CopyAsync(ctx, upstream, new GuardedStreamFilter(guard), eventStream: true)
                    : await BodyRelay.CopyAsync(ctx, upstream, new GuardedWholeBodyFilter(guard, response, upstream.Content.Headers.ContentLength),
                        eventStream: false);
            }
            else
            {
                result = await BodyRelay.CopyAsync(ctx, upstream, new PassthroughFilter(), eventStream);
            }

            return await EndRelayAsync(ctx, result, eventStream, wholeBody);
        }
    }

    /// <summary>
    /// Starts the cache entry's capture when this answer may be stored (a 2xx; a stream only when the request asked for
    /// it explicitly). Otherwise the identical requests waiting on this one need not wait longer: after an error status
    /// one of them goes to the provider; after a whole answer the cache will not hold, all of them.
    /// </summary>
    private static void StartCacheCapture(RequestContext ctx, int status, IHeaderDictionary headers, bool eventStream)
    {
        var cache = ctx.Cache.Controls;
        if (cache.Mode == CacheMode.On && (!eventStream || cache.StreamsAllowed))
        {
            ctx.Recorder.Start(status, headers, eventStream); // false for non-2xx: nothing is captured
        }

        if (!ctx.Recorder.IsCapturing)
        {
            ctx.Cache.LandFlight(uncacheable: status is >= 200 and < 300);
        }
    }

    /// <summary>
    /// Ends the response by the relay's result: the cache entry kept only when the upstream ended normally, a failure
    /// reported once and shown to the client as <see cref="EndBrokenResponseAsync"/> says, a guard's verdict as an error
    /// event (stream) or left to the caller (<paramref name="wholeBody"/>: nothing was written).
    /// </summary>
    /// <remarks>Not async on success, so a relay that ends well costs no second state machine.</remarks>
    private ValueTask<GatewayError> EndRelayAsync(RequestContext ctx, RelayResult result, bool eventStream, bool wholeBody)
    {
        if (result.Outcome == RelayOutcome.Success)
        {
            ctx.Cache.Completed = ctx.Recorder.IsCapturing; // the upstream ended normally: the entry is whole
            return new(GatewayError.None);
        }

        return EndFailedRelayAsync(ctx, result, eventStream, wholeBody);
    }

    private async ValueTask<GatewayError> EndFailedRelayAsync(RequestContext ctx, RelayResult result, bool eventStream, bool wholeBody)
    {
        ctx.Recorder.Abandon(); // a cut, blocked or failed answer is never stored
        var response = ctx.Http.Response;
        switch (result.Outcome)
        {
            case RelayOutcome.Blocked when response.HasStarted:
                await EndResponseWithErrorAsync(ctx, eventStream, result.Error);
                break;
            case RelayOutcome.Blocked:
                response.Headers.ContentLength = null; // nothing was written: the caller answers with the verdict in its shape
                break;
            case RelayOutcome.ClientGone:
                Errors.Report(ctx, ForwardingFailureKind.ClientGone, response.StatusCode, result.Exception);
                break;
            case RelayOutcome.ProviderError:
                Errors.Report(ctx, ForwardingFailureKind.ProviderErrorEvent, response.StatusCode, null); // its error event was relayed
                break;
            default:
                Errors.Report(ctx, ForwardingFailure.KindOf(result.Exception!, result.Error, inBody: true), response.StatusCode, result.Exception);
                if (response.HasStarted || !wholeBody)
                {
                    await EndBrokenResponseAsync(ctx, eventStream);
                }
                else
                {
                    response.Headers.ContentLength = null; // nothing was written: the caller answers with the error in its shape
                }

                break;
        }

        return result.Error;
    }

    /// <summary>
    /// Picks the usage reader for this answer: only for a logged 2xx whose bytes are not compressed (passthrough does
    /// not decompress, and the reader must never see gzip).
    /// </summary>
    private static void SelectUsageReader(RequestContext ctx, HttpResponse response)
    {
        var format = Accounting.UsageWireFormat.None;
        if (ctx.Log.Collect && response.StatusCode is >= 200 and < 300 && ctx.Provider is { } provider
            && (response.Headers.ContentEncoding is not { Count: > 0 } encoding || encoding[0] is "identity"))
        {
            format = Accounting.UsageFormatSelector.Select(provider.Descriptor.Usage, response.ContentType, ctx.ProviderPath);
        }

        ctx.Usage.Reset(format);
    }

    /// <summary>
    /// The upstream broke after the status was sent (docs/design.md#the-request-path): an event stream gets a final error event in the
    /// caller's shape and then ends, as the provider SDKs raise on an <c>error</c> event; any other body can only be
    /// cut, so the connection is aborted and the client never mistakes a partial body for a whole one.
    /// </summary>
    private static ValueTask EndBrokenResponseAsync(RequestContext ctx, bool eventStream) =>
        EndResponseWithErrorAsync(ctx, eventStream, GatewayError.UpstreamUnavailable);

    /// <summary>Ends a started response: an event stream with a final <paramref name="error"/> event, any other body by aborting.</summary>
    private static async ValueTask EndResponseWithErrorAsync(RequestContext ctx, bool eventStream, GatewayError error)
    {
        var http = ctx.Http;
        if (!eventStream)
        {
            http.Abort();
            return;
        }

        try
        {
            var writer = http.Response.BodyWriter;
            writer.Write("\n\nevent: error\ndata: "u8); // blank lines first: the cut may have left an event half-written
            writer.Write(ErrorWriter.BodyOf(error, ctx.Shape).Span);
            writer.Write("\n\n"u8);
            await writer.FlushAsync(http.RequestAborted);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left while we told it.
        }
    }

    /// <remarks>
    /// A unified-API request (<paramref name="unified"/>) sends a body the gateway wrote: the caller's content headers
    /// describe another body, its credential goes in the provider's own header (added by the stage), and its
    /// <c>Accept-Encoding</c> would let the provider compress bytes the translator must read. A gateway token the caller
    /// sent in <c>Authorization</c> (<paramref name="skipAuthorization"/>) is the gateway's, not the provider's. A response
    /// the guardrails read (<paramref name="inspected"/>) must not come compressed either.
    /// </remarks>
    private static void CopyRequestHeaders(HttpRequest request, HttpRequestMessage message, HttpContent? content, bool unified,
        bool skipAuthorization, bool inspected)
    {
        foreach (var header in request.Headers)
        {
            string name = header.Key;
            if (HeaderRules.SkipRequestHeader(name) || (unified && HeaderRules.SkipUnifiedRequestHeader(name))
                || (inspected && name.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase))
                || (skipAuthorization && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var value = header.Value;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                if (content is not null)
                {
                    AddHeader(content.Headers, name, value);
                }

                continue;
            }

            AddHeader(message.Headers, name, value);
        }
    }

    private static void ApplyExtraHeaders(IReadOnlyList<KeyValuePair<string, string>> extra, HttpRequestMessage message, HttpContent? content)
    {
        for (int i = 0; i < extra.Count; i++)
        {
            var (name, value) = extra[i];
            if (HeaderRules.SkipRequestHeader(name))
            {
                continue;
            }

            System.Net.Http.Headers.HttpHeaders target = name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                ? content?.Headers ?? (System.Net.Http.Headers.HttpHeaders)message.Headers
                : message.Headers;
            target.Remove(name);
            target.TryAddWithoutValidation(name, value);
        }
    }

    private static void AddHeader(System.Net.Http.Headers.HttpHeaders target, string name, StringValues value)
    {
        if (value.Count == 1)
        {
            target.TryAddWithoutValidation(name, value[0]);
        }
        else
        {
            target.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
        }
    }

    /// <summary>A JSON answer, which the response guardrails can read (audio, images and binary streams pass unjudged).</summary>
    private static bool IsJson(string? contentType) => contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Copies headers; true when the body is an event stream.</summary>
    private static bool CopyResponseHeaders(HttpResponseMessage upstream, HttpResponse response)
    {
        var target = response.Headers;
        foreach (var header in upstream.Headers.NonValidated)
        {
            if (!HeaderRules.SkipResponseHeader(header.Key))
            {
                target[header.Key] = ToStringValues(header.Value);
            }
        }

        bool eventStream = false;
        foreach (var header in upstream.Content.Headers.NonValidated)
        {
            var value = ToStringValues(header.Value);
            if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                eventStream = value.Count == 1 && value[0]!.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
            }

            target[header.Key] = value;
        }

        return eventStream;
    }

    private static StringValues ToStringValues(System.Net.Http.Headers.HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            return new StringValues(values.ToString());
        }

        var array = new string[values.Count];
        int i = 0;
        foreach (var v in values)
        {
            array[i++] = v;
        }

        return new StringValues(array);
    }

    /// <summary><c>gateway;dur=…, upstream;dur=…</c> in ms: the gateway's own time up to now, and the wait for upstream headers.</summary>
    /// <remarks>Written by hand into a stack buffer, one string per answer: the custom format <c>0.###</c> through an
    /// interpolated string took 0.6–1 % of a plain request's CPU in a profile (the format string is parsed per value).</remarks>
    private static string FormatServerTiming(long start, long sendStart, long headersAt)
    {
        long now = Stopwatch.GetTimestamp();
        Span<char> text = stackalloc char[96]; // two 19-digit numbers with decimals fit
        "gateway;dur=".CopyTo(text);
        int length = 12;
        length += WriteMilliseconds(text[length..], (sendStart - start) + (now - headersAt));
        ", upstream;dur=".CopyTo(text[length..]);
        length += 15;
        length += WriteMilliseconds(text[length..], headersAt - sendStart);
        return new string(text[..length]);
    }

    /// <summary>Writes <paramref name="ticks"/> as milliseconds the way <c>0.###</c> does: at most three decimals, rounded
    /// half away from zero, trailing zeros and a bare point left out.</summary>
    internal static int WriteMilliseconds(Span<char> destination, long ticks)
    {
        ticks = Math.Max(0, ticks);
        long micros = TicksPerMicrosecond > 0
            ? (ticks + (TicksPerMicrosecond / 2)) / TicksPerMicrosecond // exact: Linux counts ns, Windows 100 ns
            : (long)Math.Round(ticks * TicksToMs * 1000, MidpointRounding.AwayFromZero);
        long whole = micros / 1000;
        int fraction = (int)(micros % 1000);
        whole.TryFormat(destination, out int length, default, CultureInfo.InvariantCulture);
        if (fraction != 0)
        {
            destination[length++] = '.';
            int divisor = 100;
            while (fraction != 0)
            {
                destination[length++] = (char)('0' + (fraction / divisor));
                fraction %= divisor;
                divisor /= 10;
            }
        }

        return length;
    }
}
