using Gateway.Fast.Tests.Infrastructure;
using Xunit;

namespace Gateway.Fast.Tests.Management;

/// <summary>
/// A management API test class's gateway: started on a fresh data folder before each test and stopped after it, with
/// the Cloudflare v4 and local gateway paths and two gateway bodies (every field, and the five required ones).
/// </summary>
public abstract class ManagementApiTestBase : IAsyncLifetime
{
    private protected const string V4 = "/client/v4/accounts/acct-1/ai-gateway/gateways";
    private protected const string Local = "/api/management/gateways";

    /// <summary>A gateway with every field the API accepts set to a non-default value.</summary>
    private protected const string FullBody = """
        {"id":"my-gw","cache_invalidate_on_update":true,"cache_ttl":120,"collect_logs":false,
         "rate_limiting_interval":60,"rate_limiting_limit":50,"rate_limiting_technique":"sliding",
         "authentication":true,"log_management":20000,"log_management_strategy":"DELETE_OLDEST",
         "logpush":true,"logpush_public_key":"abcdefghijklmnopqrstuvwxyz",
         "retry_max_attempts":3,"retry_delay":500,"retry_backoff":"exponential",
         "guardrails":{"prompt":{"S1":"BLOCK"},"response":{}},"dlp":{"enabled":true,"policies":[]},
         "spend_limits":{"enabled":false,"rules":[]},"otel":[{"url":"http://collector:4318","headers":{}}],
         "stripe":null,"zdr":true,"log_classification":true,"is_default":false,"store_id":"s-1",
         "workers_ai_billing_mode":"unified"}
        """;

    /// <summary>The five fields an update must carry.</summary>
    private protected const string CoreBody = """
        {"cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0}
        """;

    private readonly TempDirectory _dir = new();

    private protected ManagementTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ManagementTestHost.StartAsync(_dir.Path);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Stops the gateway and starts it again on the same data folder.</summary>
    private protected async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = await ManagementTestHost.StartAsync(_dir.Path);
    }

    private protected Task<V4Response> SendAsync(HttpMethod method, string path, string? body = null, HttpClient? client = null)
        => Host.SendAsync(method, path, body, client);
}
