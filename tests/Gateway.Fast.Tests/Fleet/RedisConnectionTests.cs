using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Fleet;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>Fleet mode's connection against a real redis-server: off without REDIS_URL, reported in /health and /metrics,
/// skipped at once while Redis is down, and healed without a restart when Redis returns on the same port.</summary>
public sealed class RedisConnectionTests : RedisReplicaTestBase
{
    private static async Task<JsonElement> HealthAsync(GatewayServer gateway)
    {
        using var response = await gateway.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task AssertProxyAnswersAsync(GatewayServer gateway)
    {
        using var response = await gateway.Client.PostAsync("v1/acct/default/openai/chat/completions", new StringContent(
            """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WithoutRedisUrl_NothingOfFleetModeIsRegisteredOrReported()
    {
        await using var gateway = await StartGatewayAsync(null);

        Assert.Null(gateway.Services.GetService<RedisConnection>());
        Assert.False((await HealthAsync(gateway)).TryGetProperty("redis", out _));
        await AssertProxyAnswersAsync(gateway);
    }

    [Fact]
    public async Task WithRedisUrl_ConnectsAndReportsTheReplicaInHealthAndMetrics()
    {
        await using var gateway = await StartGatewayAsync(Redis.Url);
        var connection = gateway.Services.GetRequiredService<RedisConnection>();

        var redis = (await HealthAsync(gateway)).GetProperty("redis");
        Assert.True(redis.GetProperty("up").GetBoolean());
        Assert.Equal("closed", redis.GetProperty("breaker").GetString());
        Assert.Equal($"redis://127.0.0.1:{Redis.Port}/0", redis.GetProperty("url").GetString());
        Assert.Equal(connection.ReplicaId, redis.GetProperty("replica").GetString());
        Assert.Equal(JsonValueKind.Null, redis.GetProperty("down_since").ValueKind);

        var metrics = await gateway.Client.GetStringAsync("metrics");
        Assert.Contains($"gateway_replica_info{{replica=\"{connection.ReplicaId}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_redis_up ", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_redis_errors_total{kind=\"timeout\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysAndChannels_CarryThePrefix_SoOneRedisCanServeSeveralFleets()
    {
        await using var gateway = await StartGatewayAsync(Redis.Url);
        var connection = gateway.Services.GetRequiredService<RedisConnection>();
        await using var raw = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Redis.Port}");

        Assert.True(connection.TryGetDatabase(out var database));
        await database.StringSetAsync("probe", "1");
        connection.ReportSuccess();

        Assert.Equal("1", (string?)await raw.GetDatabase().StringGetAsync("gateway:probe"));
        Assert.False(await raw.GetDatabase().KeyExistsAsync("probe"));

        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal("gateway:news"), (_, message) => received.TrySetResult(message!));
        await connection.Subscriber!.PublishAsync(RedisConnection.Channel("news"), "hello");
        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RedisKilled_CallersSkipItAndTheProxyAnswers_ThenANewRedisOnThePortHealsIt()
    {
        await using var gateway = await StartGatewayAsync(Redis.Url);
        var connection = gateway.Services.GetRequiredService<RedisConnection>();
        Assert.True(connection.IsAvailable);

        await Redis.KillAsync();
        await Eventually.HoldsAsync(() => !connection.IsAvailable, TimeSpan.FromSeconds(15), "the replica notices that Redis is gone");

        Assert.False(connection.TryGetDatabase(out _));
        await AssertProxyAnswersAsync(gateway);
        var down = (await HealthAsync(gateway)).GetProperty("redis");
        Assert.False(down.GetProperty("up").GetBoolean());
        Assert.Equal(JsonValueKind.String, down.GetProperty("down_since").ValueKind);
        Assert.True(down.GetProperty("errors").GetProperty("connection").GetInt64() >= 1);

        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Connected += () => reconnected.TrySetResult();
        await Redis.RestartAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(connection.IsAvailable);
        Assert.True(connection.TryGetDatabase(out var database));
        Assert.True(await database.PingAsync() >= TimeSpan.Zero);
        var up = (await HealthAsync(gateway)).GetProperty("redis");
        Assert.True(up.GetProperty("up").GetBoolean());
        Assert.Equal(JsonValueKind.Null, up.GetProperty("down_since").ValueKind);
    }

    [Fact]
    public async Task RedisDownAtStart_TheReplicaStartsAndServes_AndConnectsWhenRedisArrives()
    {
        await Redis.KillAsync();
        await using var gateway = await StartGatewayAsync(Redis.Url);
        var connection = gateway.Services.GetRequiredService<RedisConnection>();

        Assert.False(connection.IsAvailable);
        await AssertProxyAnswersAsync(gateway);
        Assert.False((await HealthAsync(gateway)).GetProperty("redis").GetProperty("up").GetBoolean());

        await Redis.RestartAsync();
        await Eventually.HoldsAsync(() => connection.IsAvailable, TimeSpan.FromSeconds(30), "the replica connects once Redis is up");
    }

    [Fact]
    public async Task AMalformedRedisUrl_FailsStartUpWithTheReason_NotTheUrl()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartGatewayAsync("http://user:topsecret@cache:6379"));

        Assert.Contains("scheme", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }
}
