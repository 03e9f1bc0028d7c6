namespace Gateway.Fast.Configuration;

/// <summary>Process-wide options bound from the <c>Gateway</c> configuration section (and <c>GATEWAY_DATA</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Folder holding every store (FASTER KV, logs). <c>GATEWAY_DATA</c> overrides it.</summary>
    public string DataPath { get; set; } = "./data";

    /// <summary>Largest request body accepted on the proxy routes; larger ones get 413 in the caller's shape.</summary>
    public long MaxRequestBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Default time to the upstream's response headers, when neither the request nor the gateway sets one.</summary>
    public int UpstreamTimeoutMs { get; set; } = 120_000;

    /// <summary>The account id the default routes (<c>/v1/chat/completions</c>…) put into account-scoped upstream URLs (Workers AI).</summary>
    public string DefaultAccountId { get; set; } = "default";

    /// <summary>The AWS region the unified API sends Bedrock calls to (<c>Gateway:BedrockRegion</c>).</summary>
    public string BedrockRegion { get; set; } = "us-east-1";

    /// <summary>The Azure OpenAI <c>api-version</c> the unified API uses when the caller's query names none.</summary>
    public string AzureApiVersion { get; set; } = "2024-10-21";

    /// <summary>
    /// Calls to <c>http://</c> upstreams go as HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1: for an upstream, or a
    /// proxy in front of one, that speaks it. Concurrent calls then share a few connections, as they already do with
    /// <c>https://</c> providers that offer HTTP/2, instead of holding one socket (and descriptor) each.
    /// </summary>
    public bool UpstreamCleartextHttp2 { get; set; }

    /// <summary>
    /// Seconds the token counter's tables (~38 MB, loaded by the first response that reports no usage) stay loaded
    /// without a count before they are let go; the next estimate loads them again. 0 keeps them for the process's life.
    /// </summary>
    public int TokenizerIdleSeconds { get; set; } = 30;

    /// <summary>Per-provider overrides keyed by wire id (<c>Gateway__Providers__openai__BaseUrl</c>).</summary>
    public Dictionary<string, ProviderOverride> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Configuration of one provider's upstream.</summary>
public sealed class ProviderOverride
{
    /// <summary>Upstream base, as listed in the provider catalog (docs/gateway-api.md#provider-endpoints); may hold <c>{resource}</c>, <c>{deployment}</c>, <c>{region}</c>, <c>{account}</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The second base of providers that have two (Bedrock Mantle, Baseten's per-model host).</summary>
    public string? SecondaryBaseUrl { get; set; }
}
