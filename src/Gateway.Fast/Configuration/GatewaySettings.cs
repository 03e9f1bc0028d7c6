using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Configuration;

/// <summary>Immutable snapshot of one gateway's stored settings (docs/gateway-api.md#gateways).</summary>
/// <remarks>
/// Replaced as a whole on every change, so the hot path can hold a reference without locks.
/// Nested policies (guardrails, DLP, spend limits, OpenTelemetry, Stripe) are kept as validated raw JSON until
/// the issues that act on them give them types.
/// </remarks>
public sealed record GatewaySettings
{
    /// <summary>The id of the gateway every fresh data folder starts with (docs/gateway-api.md#gateway-ids-and-the-default-gateway).</summary>
    public const string DefaultId = "default";

    public required string Id { get; init; }

    /// <summary>Our addition: a display name for people (the management quick start sends one); null when none was given.</summary>
    public string? Name { get; init; }

    public bool CacheInvalidateOnUpdate { get; init; }

    /// <summary>Seconds a cached response lives; 0 or null turns caching off.</summary>
    public int? CacheTtl { get; init; }

    public bool CollectLogs { get; init; } = true;

    /// <summary>Window of the gateway-wide limiter in seconds; the limiter is on when this and the limit are both &gt; 0.</summary>
    public int? RateLimitingInterval { get; init; }

    public int? RateLimitingLimit { get; init; }

    public RateLimitingTechnique? RateLimitingTechnique { get; init; }

    /// <summary>When true, proxy calls must carry <c>cf-aig-authorization</c>.</summary>
    public bool Authentication { get; init; }

    /// <summary>Most log rows kept (10,000–10,000,000); null keeps all.</summary>
    public int? LogManagement { get; init; }

    public LogManagementStrategy? LogManagementStrategy { get; init; }

    public bool Logpush { get; init; }

    public string? LogpushPublicKey { get; init; }

    public int? RetryMaxAttempts { get; init; }

    /// <summary>Base delay between attempts in milliseconds.</summary>
    public int? RetryDelay { get; init; }

    public RetryBackoff? RetryBackoff { get; init; }

    /// <summary>Our addition: default time to the upstream's first response byte in ms (1–600,000); <c>cf-aig-request-timeout</c> overrides it.</summary>
    public int? RequestTimeout { get; init; }

    /// <summary><c>{prompt:{S1…P1:"FLAG"|"BLOCK"}, response:{…}}</c> as validated JSON (an object).</summary>
    public JsonElement? Guardrails { get; init; }

    /// <summary>DLP policies as validated JSON (an object).</summary>
    public JsonElement? Dlp { get; init; }

    /// <summary><c>{enabled, rules[]}</c> as validated JSON (an object).</summary>
    public JsonElement? SpendLimits { get; init; }

    /// <summary>OpenTelemetry exporters as validated JSON (an array).</summary>
    public JsonElement? Otel { get; init; }

    /// <summary>Stripe usage events as validated JSON (an object).</summary>
    public JsonElement? Stripe { get; init; }

    public bool Zdr { get; init; }

    public bool LogClassification { get; init; }

    public bool IsDefault { get; init; }

    public string? StoreId { get; init; }

    public WorkersAiBillingMode WorkersAiBillingMode { get; init; } = WorkersAiBillingMode.Postpaid;

    /// <summary>Server-set, stable across updates; older Cloudflare responses carry it.</summary>
    public string InternalId { get; init; } = "";

    /// <summary>Server-set when the gateway is created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Server-set on every committed change.</summary>
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>The documented defaults of a new gateway (docs/gateway-api.md#gateway-ids-and-the-default-gateway): authentication off, logs on, cache off, no rate limit.</summary>
    /// <remarks>A create on <c>/api/management/gateways</c> starts from these, so <c>{"id"}</c> alone is a whole gateway.</remarks>
    public static GatewaySettings WithDefaults(string id) => new()
    {
        Id = id,
        CacheInvalidateOnUpdate = false,
        CacheTtl = 0,
        CollectLogs = true,
        RateLimitingInterval = 0,
        RateLimitingLimit = 0,
        Authentication = false,
    };

    /// <summary>The settings a new data folder gives gateway <c>default</c>: the defaults of any new gateway, marked as the default.</summary>
    public static GatewaySettings CreateDefault() => WithDefaults(DefaultId) with { IsDefault = true };

    // The compiler-generated ToString would print Stripe and OpenTelemetry credentials into logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id);
        return true;
    }
}
