using Gateway.Fast.Caching;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Providers;
using Gateway.Fast.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.ObjectPool;

namespace Gateway.Fast.Pipeline;

/// <summary>Per-request state of the proxy path, pooled: the parsed route, the resolved provider and gateway, the body, timings.</summary>
/// <remarks>
/// A logged request's context outlives its HttpContext: the row is built and queued on the thread pool after the request
/// delegate returns (<see cref="Stages.RowDeferral"/>), and the context goes back to its pool after that.
/// </remarks>
internal sealed class RequestContext : IResettable
{
    public HttpContext Http { get; private set; } = null!;

    public string Path { get; private set; } = string.Empty;

    public RouteMatch Route { get; private set; }

    public ResolvedProvider? Provider { get; set; }

    public GatewaySettings? Gateway { get; set; }

    /// <summary>The body when it was buffered (JSON); otherwise it streams from the request.</summary>
    public PooledBodyContent Body { get; private set; } = new();

    public bool BodyBuffered { get; set; }

    /// <summary>The native model of a unified-API request (the caller's <c>model</c> minus its provider prefix); null otherwise.</summary>
    public string? CompatModel { get; set; }

    /// <summary>The peeked <c>model</c>, as a range of <see cref="Body"/>.</summary>
    public Range Model { get; set; }

    public bool IsStream { get; set; }

    public string LogId { get; set; } = string.Empty;

    /// <summary>The tee of the response body into a cache entry; reused with the context.</summary>
    public CacheRecorder Recorder { get; } = new();

    /// <summary>Reads the token usage the provider reports from the response bytes as they stream (reset per request).</summary>
    public Accounting.UsageReader Usage { get; } = new(Accounting.UsageWireFormat.None);

    /// <summary>The response body kept for the log row when bodies are collected; empty otherwise.</summary>
    public Logging.BodyCapture ResponseCapture { get; } = new();

    /// <summary>The response headers kept for the log row; reused with the context.</summary>
    public Logging.ResponseHeaderCapture ResponseHeaders { get; } = new();

    // The request's state in parts, each a struct of plain values that the reset sets back to default as a whole, so a
    // field added to a part cannot be forgotten there. Fields, not properties: ctx.Cache.Key = … writes in place.

    /// <summary>The cache stage's state: controls, key, the flight this request leads, how the answer ended.</summary>
    public RequestCacheState Cache;

    /// <summary>What the log row needs besides the response: its controls and the figures the relay counts.</summary>
    public RequestLogState Log;

    /// <summary>Who the caller is and which provider credential the gateway adds for it.</summary>
    public RequestAuthState Auth;

    /// <summary>What the answer's row reads from the HttpContext, taken as the request ends (<see cref="Detach"/>).</summary>
    public RequestAnswerFacts Answer;

    /// <summary>
    /// The provider path (the answering Universal step's endpoint, or the route's rest), made into a string once:
    /// the usage reader's format choice and the log row both need it.
    /// </summary>
    public string ProviderPath => Log.Path ??= Route.Kind == RouteKind.Provider ? Rest.ToString() : "";

    /// <summary>
    /// Every response chunk passes here on its way to the client: the cache entry, the log body and (later) the usage
    /// reader each take what they need. Copies only into pooled memory; never waits.
    /// </summary>
    public void Tee(ReadOnlySpan<byte> chunk, long timestamp)
    {
        TeeOutput(chunk, timestamp);
        Usage.Append(chunk);
    }

    /// <summary>
    /// The bytes the client gets, to the cache entry and the log body; the usage reader is fed apart when the client's
    /// bytes are a translation of the provider's (unified API).
    /// </summary>
    public void TeeOutput(ReadOnlySpan<byte> chunk, long timestamp)
    {
        if (Log.FirstByteTimestamp == 0)
        {
            Log.FirstByteTimestamp = timestamp;
        }

        Log.ResponseBytes += chunk.Length;
        if (Recorder.IsCapturing)
        {
            Recorder.Append(chunk);
        }

        if (Log.CaptureResponse)
        {
            ResponseCapture.Append(chunk);
        }
    }

    public long StartTimestamp { get; private set; }

    /// <summary>Ticks spent waiting on the upstream: until its headers, plus each body read.</summary>
    public long UpstreamTicks { get; set; }

    public GatewayError Error { get; set; }

    /// <summary>The status the caller got: the response's, or 499 when the caller left before the answer ended.</summary>
    public int CallerStatus => Error == GatewayError.ClientClosed ? 499 : Http.Response.StatusCode;

    /// <summary>A description of what was wrong with the caller's input, added to the error message (never header values).</summary>
    public string? ErrorDetail { get; set; }

    /// <summary>Cancels the upstream call: linked to RequestAborted, and timed until response headers arrive.</summary>
    public CancellationTokenSource Cancellation { get; private set; } = new();

    /// <summary>This request's DLP and guardrail state; null when the gateway configures neither (docs/design.md#the-request-path).</summary>
    public Guardrails.GuardState? Guard { get; set; }

    /// <summary>The error body format for this route: the provider's, OpenAI's on compat/default routes, else Cloudflare's.</summary>
    public ErrorShape Shape { get; set; }

    public ReadOnlySpan<char> Account => Path.AsSpan()[Route.Account];

    /// <summary>The route's gateway; the default routes (<c>/v1/chat/completions</c>…) and the team base paths belong to the gateway named <c>default</c>.</summary>
    public ReadOnlySpan<char> GatewayId => Route.Kind is RouteKind.DefaultRoute or RouteKind.TeamBasePath ? DefaultGatewayId : Path.AsSpan()[Route.Gateway];

    /// <summary>The gateway the default routes use (docs/gateway-api.md#beyond-cloudflare).</summary>
    public const string DefaultGatewayId = "default";

    public ReadOnlySpan<char> Rest => Path.AsSpan()[Route.Rest];

    private CancellationTokenRegistration _abortRegistration;

    public void Start(HttpContext http, string path, RouteMatch route, long timestamp)
    {
        Http = http;
        Path = path;
        Route = route;
        StartTimestamp = timestamp;
    }

    /// <summary>
    /// The token source for the next upstream attempt, linked to RequestAborted (a caller who leaves cancels the
    /// provider call). Reused while no attempt was cancelled; an attempt cut by its timer leaves it cancelled, so a
    /// retry gets a fresh one.
    /// </summary>
    public CancellationTokenSource PrepareAttemptCancellation()
    {
        if (Cancellation.IsCancellationRequested)
        {
            _abortRegistration.Dispose();
            _abortRegistration = default;
            Cancellation.Dispose();
            Cancellation = new CancellationTokenSource();
        }

        if (_abortRegistration == default)
        {
            _abortRegistration = Http.RequestAborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), Cancellation);
        }

        return Cancellation;
    }

    /// <summary>
    /// Ends the context's tie to its HttpContext, which Kestrel reuses once the request delegate returns: the facts the
    /// row needs are taken into <see cref="Answer"/>, the abort registration is released and <see cref="Http"/> cleared.
    /// </summary>
    public void Detach(long endTimestamp)
    {
        Answer = RequestAnswerFacts.Take(this, endTimestamp);
        _abortRegistration.Dispose();
        _abortRegistration = default;
        Http = null!;
    }

    public bool TryReset()
    {
        _abortRegistration.Dispose();
        _abortRegistration = default;
        if (!Body.TryReset())
        {
            Body = new PooledBodyContent();
        }

        if (!Cancellation.TryReset())
        {
            Cancellation.Dispose();
            Cancellation = new CancellationTokenSource();
        }

        Http = null!;
        Path = string.Empty;
        Route = default;
        Provider = null;
        Gateway = null;
        Shape = ErrorShape.Cloudflare;
        BodyBuffered = false;
        Model = default;
        CompatModel = null;
        IsStream = false;
        LogId = string.Empty;
        UpstreamTicks = 0;
        Error = GatewayError.None;
        ErrorDetail = null;
        Recorder.Abandon();
        Cache.LandFlight(); // no waiter is left behind by a request that ended on an exception
        Cache = default;
        Log = default;
        Auth = default;
        Answer = default;
        ResponseCapture.Reset();
        ResponseHeaders.Reset();
        Usage.Reset(Accounting.UsageWireFormat.None);
        Guard?.Dispose();
        Guard = null;
        return true;
    }
}
