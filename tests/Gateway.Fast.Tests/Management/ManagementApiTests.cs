using System.Net;
using System.Text.Json;
using Xunit;

namespace Gateway.Fast.Tests.Management;

public sealed class ManagementApiTests : ManagementApiTestBase
{
    private static string WithId(string id) => FullBody.Replace("\"my-gw\"", $"\"{id}\"");

    [Fact]
    public async Task V4CrudCreatesReadsReplacesAndDeletesAGatewayWithEveryField()
    {
        var created = await SendAsync(HttpMethod.Post, V4, FullBody);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var gw = created.Result;
        Assert.Equal("my-gw", gw.GetProperty("id").GetString());
        Assert.Equal(120, gw.GetProperty("cache_ttl").GetInt32());
        Assert.Equal("sliding", gw.GetProperty("rate_limiting_technique").GetString());
        Assert.Equal("DELETE_OLDEST", gw.GetProperty("log_management_strategy").GetString());
        Assert.Equal("exponential", gw.GetProperty("retry_backoff").GetString());
        Assert.Equal("unified", gw.GetProperty("workers_ai_billing_mode").GetString());
        Assert.Equal("BLOCK", gw.GetProperty("guardrails").GetProperty("prompt").GetProperty("S1").GetString());
        Assert.Equal(JsonValueKind.Array, gw.GetProperty("otel").ValueKind);
        Assert.Equal(JsonValueKind.Null, gw.GetProperty("stripe").ValueKind);
        Assert.Equal("acct-1", gw.GetProperty("account_id").GetString());
        Assert.Equal("acct-1", gw.GetProperty("account_tag").GetString());
        Assert.False(string.IsNullOrEmpty(gw.GetProperty("internal_id").GetString()));
        Assert.True(gw.GetProperty("created_at").TryGetDateTimeOffset(out _));
        Assert.True(gw.GetProperty("modified_at").TryGetDateTimeOffset(out _));

        var read = await SendAsync(HttpMethod.Get, $"{V4}/my-gw");
        Assert.Equal(gw.GetRawText(), read.Result.GetRawText());

        var replaced = await SendAsync(HttpMethod.Put, $"{V4}/my-gw", CoreBody);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal(0, replaced.Result.GetProperty("cache_ttl").GetInt32());
        Assert.True(replaced.Result.GetProperty("collect_logs").GetBoolean());
        Assert.Equal(gw.GetProperty("created_at").GetString(), replaced.Result.GetProperty("created_at").GetString());

        var deleted = await SendAsync(HttpMethod.Delete, $"{V4}/my-gw");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("my-gw", deleted.Result.GetProperty("id").GetString());
        Assert.Equal(0, deleted.Result.GetProperty("cache_ttl").GetInt32());

        (await SendAsync(HttpMethod.Get, $"{V4}/my-gw")).AssertError(HttpStatusCode.NotFound, 404);
        (await SendAsync(HttpMethod.Delete, $"{V4}/my-gw")).AssertError(HttpStatusCode.NotFound, 404);
    }

    [Fact]
    public async Task LocalSurfaceCreatesAndPatchesOnlyTheGivenFields()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, Local, FullBody)).Status);

        var patched = await SendAsync(HttpMethod.Patch, $"{Local}/my-gw", """{"cache_ttl":5,"rate_limiting_technique":null}""");

        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(5, patched.Result.GetProperty("cache_ttl").GetInt32());
        Assert.Equal(JsonValueKind.Null, patched.Result.GetProperty("rate_limiting_technique").ValueKind);
        Assert.Equal(60, patched.Result.GetProperty("rate_limiting_interval").GetInt32());
        Assert.True(patched.Result.GetProperty("zdr").GetBoolean());
        Assert.Equal(JsonValueKind.Null, patched.Result.GetProperty("account_id").ValueKind);

        var list = await SendAsync(HttpMethod.Get, Local);
        Assert.Equal(["default", "my-gw"], list.Result.EnumerateArray().Select(g => g.GetProperty("id").GetString()));
        Assert.Equal(5, list.Result[1].GetProperty("cache_ttl").GetInt32());
    }

    [Fact]
    public async Task TheDefaultGatewayExistsFromTheFirstStart()
    {
        var d = (await SendAsync(HttpMethod.Get, $"{V4}/default")).Result;

        Assert.False(d.GetProperty("authentication").GetBoolean());
        Assert.True(d.GetProperty("collect_logs").GetBoolean());
        Assert.Equal(0, d.GetProperty("cache_ttl").GetInt32());
        Assert.Equal(0, d.GetProperty("rate_limiting_limit").GetInt32());
    }

    [Fact]
    public async Task ListsArePagedWithResultInfoAndPagesPastTheEndAreEmpty()
    {
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(HttpMethod.Post, V4, WithId($"gw-{i}"));
        }

        var first = await SendAsync(HttpMethod.Get, $"{V4}?page=1&per_page=2");
        var second = await SendAsync(HttpMethod.Get, $"{V4}?page=2&per_page=2");
        var third = await SendAsync(HttpMethod.Get, $"{V4}?page=3&per_page=2");
        var past = await SendAsync(HttpMethod.Get, $"{V4}?page=9&per_page=2");

        AssertInfo(first, 1, 2, 2, 5);
        AssertInfo(second, 2, 2, 2, 5);
        AssertInfo(third, 3, 2, 1, 5);
        AssertInfo(past, 9, 2, 0, 5);
        Assert.Equal(HttpStatusCode.OK, past.Status);
        var ids = new[] { first, second, third }.SelectMany(r => r.Result.EnumerateArray()).Select(g => g.GetProperty("id").GetString());
        Assert.Equal(["default", "gw-0", "gw-1", "gw-2", "gw-3"], ids.Order());

        AssertInfo(await SendAsync(HttpMethod.Get, V4), 1, 20, 5, 5);
        AssertInfo(await SendAsync(HttpMethod.Get, $"{V4}?per_page=1000"), 1, 100, 5, 5);
        AssertInfo(await SendAsync(HttpMethod.Get, $"{V4}?search=gw-"), 1, 20, 4, 4);
        AssertInfo(await SendAsync(HttpMethod.Get, $"{V4}?search=nothing"), 1, 20, 0, 0);
        (await SendAsync(HttpMethod.Get, $"{V4}?page=0")).AssertError(HttpStatusCode.BadRequest, 400, "page");
        (await SendAsync(HttpMethod.Get, $"{V4}?per_page=x")).AssertError(HttpStatusCode.BadRequest, 400, "per_page");
    }

    private static void AssertInfo(V4Response response, int page, int perPage, int count, int total)
    {
        var info = response.Root.GetProperty("result_info");
        Assert.Equal(page, info.GetProperty("page").GetInt32());
        Assert.Equal(perPage, info.GetProperty("per_page").GetInt32());
        Assert.Equal(count, info.GetProperty("count").GetInt32());
        Assert.Equal(total, info.GetProperty("total_count").GetInt32());
        Assert.Equal(count, response.Result.GetArrayLength());
    }

    [Fact]
    public async Task TheUrlRouteBuildsTheProxyBaseFromTheRequestHost()
    {
        var url = await SendAsync(HttpMethod.Get, $"{V4}/default/url/openai");
        var bare = await SendAsync(HttpMethod.Get, $"{V4}/default/url");

        var host = Host.BaseAddress.Authority;
        Assert.Equal($"http://{host}/v1/acct-1/default/openai", url.Result.GetString());
        Assert.Equal($"http://{host}/v1/acct-1/default/", bare.Result.GetString());
        (await SendAsync(HttpMethod.Get, $"{V4}/missing/url/openai")).AssertError(HttpStatusCode.NotFound, 404);
    }

    [Fact]
    public async Task AGatewayCreatedBeforeARestartIsListedWithTheSameFields()
    {
        var created = (await SendAsync(HttpMethod.Post, V4, FullBody)).Result.GetRawText();
        await SendAsync(HttpMethod.Delete, $"{V4}/default");

        await RestartAsync();

        var list = await SendAsync(HttpMethod.Get, V4);
        var only = Assert.Single(list.Result.EnumerateArray());
        Assert.Equal(created, only.GetRawText());
    }
}
