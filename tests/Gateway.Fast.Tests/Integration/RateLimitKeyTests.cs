using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Integration;

/// <summary><c>cf-aig-rate-limit-key</c>: the gateway's rate limit counted per caller, each value in its own window.</summary>
/// <remarks>
/// The gateways here allow 2 requests per hour: a fixed window that short could end in the middle of a test and admit
/// one request too many, an hour-long one practically never does (the same choice as <see cref="ResilienceTests"/>).
/// </remarks>
public sealed class RateLimitKeyTests : IAsyncLifetime
{
    private const int Limit = 2;
    private readonly GatewayWithSimulator _env = new();

    public Task InitializeAsync() => _env.InitializeAsync();

    public Task DisposeAsync() => _env.DisposeAsync();

    private async Task CreateGatewayAsync(string id, string technique = "fixed")
    {
        using var management = _env.Gateway.ManagementClient();
        using var created = await management.PostAsJsonAsync("api/management/gateways", new
        {
            id, cache_invalidate_on_update = false, cache_ttl = 0, collect_logs = true,
            rate_limiting_interval = 3600, rate_limiting_limit = Limit, rate_limiting_technique = technique,
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
    }

    private Task<HttpResponseMessage> ChatAsync(string gateway, string? callerKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, $"v1/acct/{gateway}/openai/chat/completions"))
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-test");
        if (callerKey is not null)
        {
            request.Headers.TryAddWithoutValidation("cf-aig-rate-limit-key", callerKey);
        }

        return _env.Gateway.Client.SendAsync(request);
    }

    private async Task<HttpStatusCode> StatusAsync(string gateway, string? callerKey)
    {
        using var response = await ChatAsync(gateway, callerKey);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> UniversalAsync(string gateway, string? callerKey, string? stepCallerKey)
    {
        string stepHeader = stepCallerKey is null ? "" : $",\"cf-aig-rate-limit-key\":\"{stepCallerKey}\"";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_env.Gateway.Address, $"v1/acct/{gateway}"))
        {
            Content = new StringContent($$$"""
                [{"provider":"openai","endpoint":"chat/completions","headers":{"Authorization":"Bearer sk-test"{{{stepHeader}}}},
                  "query":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}}]
                """, Encoding.UTF8, "application/json"),
        };
        if (callerKey is not null)
        {
            request.Headers.TryAddWithoutValidation("cf-aig-rate-limit-key", callerKey);
        }

        return _env.Gateway.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("sliding")]
    public async Task EachCallerKey_GetsTheWholeLimit_AndOnlyTheCallerPastItIsRefused(string technique)
    {
        await CreateGatewayAsync("per-user", technique);

        for (int i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync("per-user", "user-a"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync("per-user", "user-b"));
        }

        using var refused = await ChatAsync("per-user", "user-a");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds >= 1);
        using var doc = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error"); // OpenAI's shape on the openai route
        Assert.Equal(2003, error.GetProperty("code").GetInt32());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("per-user", "user-b"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("per-user", "user-c")); // a third user still has a window of their own
        Assert.Equal(2 * Limit + 1, _env.Simulator.RequestCount); // refused requests never reached the provider
    }

    [Fact]
    public async Task WithoutTheHeader_TheGatewayWideLimitStillApplies_AndKeyedRequestsDoNotCountInIt()
    {
        await CreateGatewayAsync("shared");
        for (int i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync("shared", "user-a"));
        }

        for (int i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync("shared", callerKey: null));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("shared", callerKey: null));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("shared", "user-a"));
    }

    [Fact]
    public async Task InvalidKey_IsIgnored_AndTheRequestCountsGatewayWide()
    {
        await CreateGatewayAsync("ignored");
        string tooLong = new('k', 257);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("ignored", tooLong));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("ignored", callerKey: null));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("ignored", tooLong));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("ignored", new string('k', 256))); // at the bound: its own window
    }

    [Fact]
    public async Task GatewayWithoutALimit_IgnoresTheHeader()
    {
        for (int i = 0; i < Limit + 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync("default", "user-a"));
        }
    }

    [Fact]
    public async Task UniversalRequest_IsCountedUnderTheOuterHeader_InTheCloudflareShape()
    {
        await CreateGatewayAsync("universal");
        for (int i = 0; i < Limit; i++)
        {
            using var admittedA = await UniversalAsync("universal", "user-a", stepCallerKey: null);
            Assert.Equal(HttpStatusCode.OK, admittedA.StatusCode);
            using var admittedB = await UniversalAsync("universal", "user-b", stepCallerKey: null);
            Assert.Equal(HttpStatusCode.OK, admittedB.StatusCode);
        }

        using var refused = await UniversalAsync("universal", "user-a", stepCallerKey: null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds >= 1);
        using var doc = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal(2003, doc.RootElement.GetProperty("error")[0].GetProperty("code").GetInt32());
        Assert.Equal(2 * Limit, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task UniversalStepHeader_ChoosesTheWindowWhenTheRequestHasNone()
    {
        // The steps of one request come from one caller: a key in a step's headers counts as the request's own.
        await CreateGatewayAsync("step-keys");
        for (int i = 0; i < Limit; i++)
        {
            using var admittedA = await UniversalAsync("step-keys", callerKey: null, stepCallerKey: "user-a");
            Assert.Equal(HttpStatusCode.OK, admittedA.StatusCode);
            using var admittedB = await UniversalAsync("step-keys", callerKey: null, stepCallerKey: "user-b");
            Assert.Equal(HttpStatusCode.OK, admittedB.StatusCode);
        }

        using var refused = await UniversalAsync("step-keys", callerKey: null, stepCallerKey: "user-a");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using var outerWins = await UniversalAsync("step-keys", "user-c", stepCallerKey: "user-a"); // the outer header first
        Assert.Equal(HttpStatusCode.OK, outerWins.StatusCode);
        using var gatewayWide = await UniversalAsync("step-keys", callerKey: null, stepCallerKey: null);
        Assert.Equal(HttpStatusCode.OK, gatewayWide.StatusCode); // no key anywhere: the gateway's own, unused window
        Assert.Equal(2 * Limit + 2, _env.Simulator.RequestCount);
    }

    [Fact]
    public async Task AMalformedUniversalRequest_IsStillCounted()
    {
        await CreateGatewayAsync("malformed");
        for (int i = 0; i < Limit; i++)
        {
            using var bad = await _env.Gateway.Client.PostAsync(new Uri(_env.Gateway.Address, "v1/acct/malformed"),
                new StringContent("{\"not\":\"an array\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var refused = await UniversalAsync("malformed", callerKey: null, stepCallerKey: null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }
}
