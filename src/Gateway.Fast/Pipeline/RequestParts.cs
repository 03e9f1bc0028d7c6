using Gateway.Fast.Caching;

namespace Gateway.Fast.Pipeline;

/// <summary>The cache stage's part of a request (<see cref="RequestContext.Cache"/>); default until the cache stage runs.</summary>
internal struct RequestCacheState
{
    /// <summary>This request's cache controls (or a Universal step's); <see cref="CacheMode.Off"/> by default.</summary>
    public CacheControls Controls;

    public CacheKey Key;

    /// <summary>The cache flight this request leads (its identical twins wait on it), or null.</summary>
    public CacheFlight? Flight;

    /// <summary>The upstream body ended normally while the recorder captured it: the entry may be committed.</summary>
    public bool Completed;

    /// <summary>The answer came from the cache.</summary>
    public bool Hit;

    /// <summary>Ends the flight this request leads, if any: its waiters look the key up again (see <see cref="CacheFlights"/>).</summary>
    /// <param name="uncacheable">The answer was whole but the cache cannot hold it: the waiters go to the provider themselves.</param>
    public void LandFlight(bool uncacheable = false)
    {
        var flight = Flight;
        Flight = null;
        flight?.Land(uncacheable);
    }
}

/// <summary>What a request's log row needs besides the response body (<see cref="RequestContext.Log"/>).</summary>
internal struct RequestLogState
{
    /// <summary>Wall-clock start of the request (the row's <c>created_at</c>), unix ms.</summary>
    public long CreatedAtUnixMs;

    /// <summary>A row is written for this request (gateway <c>collect_logs</c>, or <c>cf-aig-collect-log</c>).</summary>
    public bool Collect;

    /// <summary>The row keeps the request and response bodies (<c>cf-aig-collect-log-payload</c>, default true).</summary>
    public bool CollectPayload;

    /// <summary>True when the response body goes to <see cref="RequestContext.ResponseCapture"/>.</summary>
    public bool CaptureResponse;

    /// <summary>The validated <c>cf-aig-metadata</c> as JSON text, or null.</summary>
    public string? MetadataJson;

    /// <summary>The caller's validated <c>X-SESSION-ID</c> or <c>session_id</c> cookie (<see cref="SessionIdHeader"/>); null when none.</summary>
    public string? SessionId;

    /// <summary>Universal step that answered (0 otherwise).</summary>
    public int Step;

    /// <summary>The provider path of the row when it is not the route's rest: the answering step's or unified call's.</summary>
    public string? Path;

    /// <summary>
    /// The client's bytes are a translation (OpenAI's shape) of the provider's: the translator reports the usage, and a
    /// cached answer holds OpenAI's shape whatever the provider's was.
    /// </summary>
    public bool Translated;

    /// <summary>The body the row stores as its request: the caller's, or the answering Universal step's.</summary>
    public ReadOnlyMemory<byte> RequestBody;

    /// <summary>When the first response body byte went to the client (Stopwatch ticks); 0 before.</summary>
    public long FirstByteTimestamp;

    /// <summary>Response body bytes sent to the client.</summary>
    public long ResponseBytes;
}

/// <summary>Who the caller is, and the provider credential the gateway adds for it (<see cref="RequestContext.Auth"/>).</summary>
internal struct RequestAuthState
{
    /// <summary>The caller's <c>Authorization</c> held the gateway's own credential (a gateway token, a team key): it is
    /// not forwarded upstream, nor read as a provider key.</summary>
    public bool CredentialInAuthorization;

    /// <summary>A provider key the gateway holds (stored, or from the environment), added upstream because the caller sent none.</summary>
    public Access.InjectedCredential? InjectedCredential;

    /// <summary>The team key that authenticated the request (team base paths), or null.</summary>
    public Access.TeamKey? TeamKey;

    /// <summary>The body a SigV4 signature covers (stored AWS keys): the buffered body, or the unified API's native one.</summary>
    public ReadOnlyMemory<byte> SigningBody;
}
