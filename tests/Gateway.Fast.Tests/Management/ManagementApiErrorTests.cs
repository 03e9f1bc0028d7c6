using System.Net;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Management;

public sealed class ManagementApiErrorTests : ManagementApiTestBase
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("Bearer wrong-token", null)]
    [InlineData("Basic dGVzdA==", null)]
    [InlineData(null, "wrong-token")]
    [InlineData("Bearer ", "")]
    public async Task RequestsWithoutTheManagementTokenAre401WithCode10000(string? authorization, string? authKey)
    {
        using var client = new HttpClient { BaseAddress = Host.BaseAddress };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        if (authKey is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Auth-Key", authKey);
        }

        foreach (var (method, path) in new[] { (HttpMethod.Get, V4), (HttpMethod.Post, V4), (HttpMethod.Get, $"{Local}/default"), (HttpMethod.Delete, $"{Local}/default") })
        {
            var response = await SendAsync(method, path, method == HttpMethod.Post ? FullBody : null, client);
            response.AssertError(HttpStatusCode.Unauthorized, 10000);
            Assert.Equal("Authentication error", response.FirstError.GetProperty("message").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"{Local}/default")).Status);
    }

    [Fact]
    public async Task TheTokenIsAcceptedAsXAuthKey()
    {
        using var client = new HttpClient { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Auth-Key", ManagementTestHost.Token);

        var response = await SendAsync(HttpMethod.Get, V4, client: client);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task ValidationErrorsAre400AndNameEachFieldInPath()
    {
        var body = """
            {"id":"Bad Id!","cache_invalidate_on_update":"yes","cache_ttl":-1,"rate_limiting_interval":1.5,
             "rate_limiting_limit":0,"rate_limiting_technique":"leaky","log_management":5,
             "log_management_strategy":"KEEP","logpush_public_key":"short","retry_max_attempts":6,
             "retry_delay":5001,"retry_backoff":"random","workers_ai_billing_mode":"free","guardrails":[]}
            """;

        var response = await SendAsync(HttpMethod.Post, V4, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var paths = response.Root.GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("path")[0].GetString())
            .ToHashSet();
        Assert.Equal(
            new HashSet<string?>
            {
                "id", "cache_invalidate_on_update", "cache_ttl", "collect_logs", "rate_limiting_interval", "rate_limiting_technique",
                "log_management", "log_management_strategy", "logpush_public_key", "retry_max_attempts", "retry_delay",
                "retry_backoff", "workers_ai_billing_mode", "guardrails",
            },
            paths);
        Assert.All(response.Root.GetProperty("errors").EnumerateArray(), e => Assert.Equal(400, e.GetProperty("code").GetInt32()));
        Assert.Single((await SendAsync(HttpMethod.Get, V4)).Result.EnumerateArray());
    }

    [Fact]
    public async Task PutRequiresTheCoreFieldsAndCannotRenameTheGateway()
    {
        (await SendAsync(HttpMethod.Put, $"{V4}/default", """{"cache_ttl":10}""")).AssertError(HttpStatusCode.BadRequest, 400, "collect_logs");
        (await SendAsync(HttpMethod.Put, $"{V4}/default", CoreBody.Replace("{", """{"id":"other",""")))
            .AssertError(HttpStatusCode.BadRequest, 400, "id");
        (await SendAsync(HttpMethod.Put, $"{V4}/missing", CoreBody)).AssertError(HttpStatusCode.NotFound, 404);

        var unchanged = await SendAsync(HttpMethod.Get, $"{V4}/default");
        Assert.Equal(0, unchanged.Result.GetProperty("cache_ttl").GetInt32());
    }

    [Fact]
    public async Task CreatingADuplicateIdIs400OnId()
    {
        await SendAsync(HttpMethod.Post, V4, FullBody);

        var again = await SendAsync(HttpMethod.Post, Local, FullBody);

        again.AssertError(HttpStatusCode.BadRequest, 400, "id");
    }

    [Theory]
    [InlineData("POST", V4, "{\"id\":")]
    [InlineData("POST", V4, "")]
    [InlineData("PUT", V4 + "/default", "not json")]
    [InlineData("PATCH", Local + "/default", "{}}")]
    public async Task MalformedJsonIs400(string method, string path, string body)
    {
        var response = await SendAsync(new HttpMethod(method), path, body);

        response.AssertError(HttpStatusCode.BadRequest, 400);
    }

    [Fact]
    public async Task ABodyThatIsNotAnObjectIs400()
    {
        var response = await SendAsync(HttpMethod.Post, V4, "[1,2]");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Theory]
    [InlineData("GET", "/client/v4/accounts/acct-1/ai-gateway/nothing")]
    [InlineData("GET", "/client/v4")]
    [InlineData("PATCH", V4 + "/default")]
    [InlineData("GET", "/api/management/unknown")]
    [InlineData("POST", Local + "/default/whatever")]
    public async Task UnknownRoutesUnderTheManagementPrefixesAre404With7003(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path);

        response.AssertError(HttpStatusCode.NotFound, 7003);
        Assert.Equal("No route for the URI", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ResponsesNeverCarryTheToken()
    {
        using var response = await Host.Client.GetAsync(V4);
        var text = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain(ManagementTestHost.Token, text);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
