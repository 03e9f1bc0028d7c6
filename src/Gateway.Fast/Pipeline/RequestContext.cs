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

    /// <summary>This request's cache controls (or a Universal step's); <see cref="CacheMode.Off"/> until the cache stage runs.</summary>
    public CacheControls CacheControls { get; set; }

    public CacheKey CacheKey { get; set; }

    /// <summary>The tee of the response body into a cache entry; reused with the context.</summary>
    public CacheRecorder Recorder { get; } = new();

    /// <summary>The cache flight this request leads (its identical twins wait on it), or null.</summary>
    public CacheFlight? CacheFlight { get; set; }

    /// <summary>Ends the flight this request leads, if any: its waiters look the key up again (see <see cref="CacheFlights"/>).</summary>
    /// <param name="uncacheable">The answer was whole but the cache cannot hold it: the waiters go to the provider themselves.</param>
    public void LandCacheFlight(bool uncacheable = false)
    {
        var flight = CacheFlight;
        CacheFlight = null;
        flight?.Land(uncacheable);
    }

    /// <summary>Reads the token usage the provider reports from the response bytes as they stream (reset per request).</summary>
    public Accounting.UsageReader Usage { get; } = new(Accounting.UsageWireFormat.None);

    /// <summary>Wall-clock start of the request (the log row's <c>created_at</c>), unix ms.</summary>
    public long CreatedAtUnixMs { get; set; }

    /// <summary>A log row is written for this request (gateway <c>collect_logs</c>, or <c>cf-aig-collect-log</c>).</summary>
    public bool CollectLog { get; set; }

    /// <summary>The row keeps the request and response bodies (<c>cf-aig-collect-log-payload</c>, default true).</summary>
    public bool CollectPayload { get; set; }

    /// <summary>The validated <c>cf-aig-metadata</c> as JSON text, or null.</summary>
    public string? MetadataJson { get; set; }

    /// <summary>The caller's validated <c>X-SESSION-ID</c> or <c>session_id</c> cookie (<see cref="SessionIdHeader"/>); null when none.</summary>
    public string? SessionId { get; set; }

    /// <summary>The answer came from the cache.</summary>
    public bool CacheHit { get; set; }

    /// <summary>Universal step that answered (0 otherwise).</summary>
    public int Step { get; set; }

    /// <summary>The provider path of the row: the route's rest, or the answering Universal step's endpoint.</summary>
    public string? LogPath { get; set; }

    /// <summary>
    /// The provider path (the answering Universal step's endpoint, or the route's rest), made into a string once:
    /// the usage reader's format choice and the log row both need it.
    /// </summary>
    public string ProviderPath => LogPath ??= Route.Kind == RouteKind.Provider ? Rest.ToString() : "";

    /// <summary>The body the row stores as its request: the caller's, or the answering Universal step's.</summary>
    public ReadOnlyMemory<byte> LogRequestBody { get; set; }

    /// <summary>The response body kept for the log row when bodies are collected; empty otherwise.</summary>
    public Logging.BodyCapture ResponseCapture { get; } = new();

    /// <summary>True when <see cref="ResponseCapture"/> should receive the response body.</summary>
    public bool CaptureResponse { get; set; }

    /// <summary>When the first response body byte went to the client (Stopwatch ticks); 0 before.</summary>
    public long FirstByteTimestamp { get; set; }

    /// <summary>Response body bytes sent to the client.</summary>
    public long ResponseBytes { get; set; }

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
        if (FirstByteTimestamp == 0)
        {
            FirstByteTimestamp = timestamp;
        }

        ResponseBytes += chunk.Length;
        if (Recorder.IsCapturing)
        {
            Recorder.Append(chunk);
        }

        if (CaptureResponse)
        {
            ResponseCapture.Append(chunk);
        }
    }

    /// <summary>The upstream body ended normally while <see cref="Recorder"/> captured it: the entry may be committed.</summary>
    public bool CacheCompleted { get; set; }

    public long StartTimestamp { get; private set; }

    /// <summary>Ticks spent waiting on the upstream: until its headers, plus each body read.</summary>
    public long UpstreamTicks { get; set; }

    public GatewayError Error { get; set; }

    /// <summary>A description of what was wrong with the caller's input, added to the error message (never header values).</summary>
    public string? ErrorDetail { get; set; }

    /// <summary>Cancels the upstream call: linked to RequestAborted, and timed until response headers arrive.</summary>
    public CancellationTokenSource Cancellation { get; private set; } = new();

    /// <summary>The caller's <c>Authorization</c> held the gateway credential (docs/gateway-api.md#authenticated-gateway; our choice): it is not forwarded upstream.</summary>
    public bool GatewayAuthInAuthorization { get; set; }

    /// <summary>A provider key held by the gateway (BYOK), added upstream because the caller sent none; null otherwise.</summary>
    public Access.InjectedCredential? InjectedCredential { get; set; }

    /// <summary>The team key that authenticated the request (team base paths), or null.</summary>
    public Access.TeamKey? TeamKey { get; set; }

    /// <summary>This request's DLP and guardrail state; null when the gateway configures neither (docs/design.md#the-request-path).</summary>
    public Guardrails.GuardState? Guard { get; set; }

    /// <summary>The body a SigV4 signature covers (stored AWS keys): the buffered body, or the unified API's native one.</summary>
    public ReadOnlyMemory<byte> SigningBody { get; set; }

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
        LandCacheFlight();
        CacheControls = default;
        CacheKey = default;
        CacheCompleted = false;
        ResponseCapture.Reset();
        Usage.Reset(Accounting.UsageWireFormat.None);
        CreatedAtUnixMs = 0;
        CollectLog = false;
        CollectPayload = false;
        MetadataJson = null;
        SessionId = null;
        CacheHit = false;
        Step = 0;
        LogPath = null;
        LogRequestBody = default;
        CaptureResponse = false;
        FirstByteTimestamp = 0;
        ResponseBytes = 0;
        GatewayAuthInAuthorization = false;
        InjectedCredential = null;
        SigningBody = default;
        Guard?.Dispose();
        Guard = null;
        TeamKey = null;
        return true;
    }
}
