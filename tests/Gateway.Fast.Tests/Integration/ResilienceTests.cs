using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary>Rate limits, retries and timeouts from outside, in the caller's API shape.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private HttpRequestMessage Chat(string provider = "openai", string path = "chat/completions", params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.ProviderUrl(provider), path))
        {
            Content = new StringContent("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return request;
    }

    private async Task CreateGatewayAsync(object body)
    {
        using var management = _env.Gateway.ManagementClient();
        using var created = await management.PostAsJsonAsync("api/management/gateways", body);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
    }

    [Fact]
    public async Task RateLimit_AdmitsTheLimitThenAnswers429WithRetryAfterInTheCallersShape()
    {
        await CreateGatewayAsync(new
        {
            id = "limited", cache_invalidate_on_update = false, cache_ttl = 0, collect_logs = true,
            rate_limiting_interval = 3600, rate_limiting_limit = 3, rate_limiting_technique = "fixed",
        });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (int i = 0; i < 5; i++)
        {
            last?.Dispose();
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/a/limited/anthropic/v1/messages"))
            {
                Content = new StringContent("""{"model":"m","max_tokens":8,"messages":[]}""", Encoding.UTF8, "application/json"),
            };
            last = await _env.Gateway.Client.SendAsync(request);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter!.Delta!.Value.TotalSeconds >= 1);
        using var doc = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(3 + 0, _env.Simulator.RequestCount); // the refused ones never reached the provider
        last.Dispose();
    }

    [Fact]
    public async Task FailingProvider_IsRetriedUntilItAnswers()
    {
        string key = Guid.NewGuid().ToString("N");
        using var response = await _env.Gateway.Client.SendAsync(Chat(headers:
        [
            ("x-sim-status", "503"), ("x-sim-fail-first", "2"), ("x-sim-fail-key", key),
            ("cf-aig-max-attempts", "3"), ("cf-aig-retry-delay", "1"), ("cf-aig-backoff", "constant"),
        ]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task Retries_StopAtMaxAttempts_AndTheLastAnswerPassesThrough()
    {
        using var response = await _env.Gateway.Client.SendAsync(Chat(headers:
            [("x-sim-status", "500"), ("cf-aig-max-attempts", "2"), ("cf-aig-retry-delay", "1")]));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(2, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task ClientErrors_AreNotRetried()
    {
        using var response = await _env.Gateway.Client.SendAsync(Chat(headers:
            [("x-sim-status", "400"), ("cf-aig-max-attempts", "5"), ("cf-aig-retry-delay", "1")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task TimedOutAttempt_IsRetried()
    {
        string key = Guid.NewGuid().ToString("N");
        using var response = await _env.Gateway.Client.SendAsync(Chat(headers:
        [
            ("x-sim-delay-ms", "30000"), ("x-sim-fail-first", "1"), ("x-sim-fail-key", key),
            ("cf-aig-request-timeout", "2000"), ("cf-aig-max-attempts", "2"), ("cf-aig-retry-delay", "1"),
        ]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task GatewayRetrySettings_AreTheDefaults()
    {
        await CreateGatewayAsync(new
        {
            id = "retrying", cache_invalidate_on_update = false, cache_ttl = 0, collect_logs = true,
            rate_limiting_interval = 0, rate_limiting_limit = 0, retry_max_attempts = 3, retry_delay = 1, retry_backoff = "linear",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/a/retrying/openai/chat/completions"))
        {
            Content = new StringContent("""{"model":"m","messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-sim-status", "502");

        using var response = await _env.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task GatewayRequestTimeout_IsTheDefault_AndTheHeaderOverridesIt()
    {
        await CreateGatewayAsync(new
        {
            id = "impatient", cache_invalidate_on_update = false, cache_ttl = 0, collect_logs = true,
            rate_limiting_interval = 0, rate_limiting_limit = 0, request_timeout = 150,
        });

        HttpRequestMessage Slow(params (string, string)[] extra)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, "v1/a/impatient/openai/chat/completions"))
            {
                Content = new StringContent("""{"model":"m","messages":[]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-sim-delay-ms", "400");
            foreach (var (k, v) in extra)
            {
                request.Headers.Add(k, v);
            }

            return request;
        }

        using var timedOut = await _env.Gateway.Client.SendAsync(Slow());
        using var patient = await _env.Gateway.Client.SendAsync(Slow(("cf-aig-request-timeout", "60000")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
    }
}
