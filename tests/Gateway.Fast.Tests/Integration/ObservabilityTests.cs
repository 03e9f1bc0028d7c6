using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary><c>/health</c> and <c>/metrics</c> tell what the gateway sees and costs.</summary>
public sealed class ObservabilityTests : IClassFixture<GatewayWithSimulator>
{
    private readonly GatewayWithSimulator _env;

    public ObservabilityTests(GatewayWithSimulator env) => _env = env;

    [Fact]
    public async Task Health_ListsEveryProviderAndItsConfiguredUpstream()
    {
        using var response = await _env.Gateway.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        var openai = doc.RootElement.GetProperty("providers").GetProperty("openai");
        Assert.True(openai.GetProperty("configured").GetBoolean());
        Assert.Equal(_env.Simulator.BaseUrl, openai.GetProperty("upstream").GetString());
        Assert.Equal(Gateway.Fast.Providers.ProviderCatalog.All.Length, doc.RootElement.GetProperty("providers").EnumerateObject().Count());
    }

    [Fact]
    public async Task Metrics_CountRequestsByGatewayProviderAndStatusClass()
    {
        var body = new StringContent("""{"model":"m","messages":[]}""", Encoding.UTF8, "application/json");
        string logId;
        using (var ok = await _env.Gateway.Client.PostAsync("v1/a/default/deepseek/chat/completions", body))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            logId = ok.Headers.GetValues("cf-aig-log-id").Single();
        }

        // Request metrics are recorded before the response ends; accounting ones with the log row, just after it.
        await _env.Gateway.WaitForLogRowAsync(logId);

        var text = await _env.Gateway.Client.GetStringAsync("metrics");

        Assert.Contains("gateway_requests_total{gateway=\"default\",provider=\"deepseek\",status_class=\"2xx\"}", text);
        Assert.Contains("gateway_request_duration_seconds_bucket{gateway=\"default\",provider=\"deepseek\"", text);
        Assert.Contains("gateway_overhead_seconds_count{gateway=\"default\",provider=\"deepseek\"}", text);
        Assert.Contains("gateway_upstream_duration_seconds_sum{gateway=\"default\",provider=\"deepseek\"}", text);
        Assert.Contains("gateway_tokens_total{gateway=\"default\",provider=\"deepseek\",model=\"m\",direction=\"out\"}", text);
        Assert.Contains("gateway_time_to_first_byte_seconds_count{gateway=\"default\",provider=\"deepseek\"}", text);
        Assert.Contains("gateway_log_queue_depth ", text);
    }

    [Fact]
    public async Task Metrics_NeverCarryTheCallersCredentials()
    {
        const string secret = "sk-secret-do-not-leak-5f1e2d";
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/a/default/openai/chat/completions")
        {
            Content = new StringContent("""{"model":"m","messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", secret);
        using (await _env.Gateway.Client.SendAsync(request))
        {
        }

        using var missing = new HttpRequestMessage(HttpMethod.Post, "v1/a/no-such/openai/chat/completions");
        missing.Headers.Authorization = new("Bearer", secret);
        using var error = await _env.Gateway.Client.SendAsync(missing);

        Assert.DoesNotContain(secret, await _env.Gateway.Client.GetStringAsync("metrics"));
        Assert.DoesNotContain(secret, await error.Content.ReadAsStringAsync());
    }
}
