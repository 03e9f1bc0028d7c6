using Gateway.Fast.Storage;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Fast.Tests.Fleet;

/// <summary>The version check repairs what a lost pub/sub message would have missed: a change that reaches Redis without
/// any message (written here straight into Redis) is applied within a second all the same.</summary>
public sealed class ConfigRepairTests : RedisReplicaTestBase
{
    [Fact]
    public async Task AChangeWhoseMessageWasLost_IsAppliedByTheVersionCheck()
    {
        await using var gateway = await StartGatewayAsync(Redis.Url);
        var store = gateway.Services.GetRequiredService<IGatewayStore>();
        await using var raw = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Redis.Port}");
        var redis = raw.GetDatabase();

        // The replica seeded the empty Redis with its `default` gateway; a copy of it under another id is a valid record.
        string seeded = (await redis.HashGetAsync("gateway:config:records", "gateway:default"))!;
        var injected = seeded.Replace("\"id\":\"default\"", "\"id\":\"injected\"", StringComparison.Ordinal);
        Assert.NotEqual(seeded, injected);
        await redis.HashSetAsync("gateway:config:records", "gateway:injected", injected);
        await redis.StringIncrementAsync("gateway:config:version"); // no PUBLISH: as if the message were lost

        await Eventually.HoldsAsync(() => store.TryGet("injected", out _), TimeSpan.FromSeconds(10), "the replica applies the unannounced change");

        await redis.HashDeleteAsync("gateway:config:records", "gateway:injected");
        await redis.StringIncrementAsync("gateway:config:version");
        await Eventually.HoldsAsync(() => !store.TryGet("injected", out _), TimeSpan.FromSeconds(10), "the replica applies the unannounced deletion");
    }
}
