namespace Gateway.Fast.Client;

/// <summary>How the delay between retries grows (<c>cf-aig-backoff</c>).</summary>
public enum GatewayBackoff
{
    Constant,
    Linear,
    Exponential,
}

/// <summary>Retries of the upstream call: <c>cf-aig-max-attempts</c>, <c>cf-aig-retry-delay</c>, <c>cf-aig-backoff</c>.</summary>
public sealed record GatewayRetries
{
    /// <summary>Total attempts, 1 (no retry) to 5.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Base delay between attempts, at most 5 s; sent in whole milliseconds.</summary>
    public TimeSpan? RetryDelay { get; init; }

    public GatewayBackoff? Backoff { get; init; }
}

/// <summary>
/// The per-request gateway controls of the Workers AI binding; each one set becomes its <c>cf-aig-*</c> header
/// (docs/gateway-api.md#request-headers), each one left null sends nothing.
/// </summary>
public record GatewayRequestOptions
{
    /// <summary><c>cf-aig-cache-ttl</c>: cache this answer that long (whole seconds; zero turns caching off for the request).</summary>
    public TimeSpan? CacheTtl { get; init; }

    /// <summary><c>cf-aig-skip-cache</c>: neither read nor write the cache.</summary>
    public bool? SkipCache { get; init; }

    /// <summary><c>cf-aig-cache-key</c>: use this cache key instead of the derived one.</summary>
    public string? CacheKey { get; init; }

    /// <summary><c>cf-aig-metadata</c>: up to 5 entries, each a string, a number, a boolean or null; kept on the log row.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }

    /// <summary><c>cf-aig-collect-log</c>: log this request or not, whatever the gateway's setting says.</summary>
    public bool? CollectLog { get; init; }

    /// <summary><c>cf-aig-event-id</c>: your correlation id, kept on the log row and echoed back.</summary>
    public string? EventId { get; init; }

    /// <summary><c>cf-aig-request-timeout</c>: time allowed to the upstream's first response byte (whole milliseconds).</summary>
    public TimeSpan? RequestTimeout { get; init; }

    public GatewayRetries? Retries { get; init; }
}

/// <summary>The gateway a call goes through (<see cref="Id"/>, default <c>default</c>) and its per-request controls.</summary>
public sealed record GatewayOptions : GatewayRequestOptions
{
    public string Id { get; init; } = "default";
}
