using Xunit;
using System.Text.Json;
using Gateway.Fast.Configuration;
using Gateway.Fast.Storage;
using Microsoft.Extensions.Time.Testing;

using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Storage;

public sealed class FasterGatewayStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private FasterGatewayStore Open() => FasterGatewayStore.Open(_dir.Path, _time);

    private static GatewaySettings Full(string id) => new()
    {
        Id = id,
        CacheInvalidateOnUpdate = true,
        CacheTtl = 300,
        CollectLogs = false,
        RateLimitingInterval = 60,
        RateLimitingLimit = 100,
        RateLimitingTechnique = RateLimitingTechnique.Sliding,
        Authentication = true,
        LogManagement = 50_000,
        LogManagementStrategy = LogManagementStrategy.DeleteOldest,
        Logpush = true,
        LogpushPublicKey = "0123456789abcdef0123",
        RetryMaxAttempts = 3,
        RetryDelay = 250,
        RetryBackoff = RetryBackoff.Exponential,
        Guardrails = JsonDocument.Parse("""{"prompt":{"S1":"BLOCK"},"response":{"P1":"FLAG"}}""").RootElement.Clone(),
        Dlp = JsonDocument.Parse("""{"enabled":true,"action":"BLOCK","profiles":["p1"]}""").RootElement.Clone(),
        SpendLimits = JsonDocument.Parse("""{"enabled":true,"rules":[]}""").RootElement.Clone(),
        Otel = JsonDocument.Parse("""[{"url":"http://otel:4318","headers":{}}]""").RootElement.Clone(),
        Stripe = JsonDocument.Parse("""{"authorization":"sk","usage_events":[]}""").RootElement.Clone(),
        Zdr = true,
        LogClassification = true,
        IsDefault = false,
        StoreId = "store-1",
        WorkersAiBillingMode = WorkersAiBillingMode.Unified,
    };

    private static string Json(GatewaySettings s) => JsonSerializer.Serialize(s, GatewaySettingsJsonContext.Default.GatewaySettings);

    [Fact]
    public void AFreshFolderStartsWithTheDefaultGatewayOnly()
    {
        using var store = Open();

        var all = store.List();
        Assert.Single(all);
        Assert.True(store.TryGet("default", out var d));
        Assert.Same(all[0], d);
        Assert.False(d.Authentication);
        Assert.True(d.CollectLogs);
        Assert.Equal(0, d.CacheTtl);
        Assert.Equal(0, d.RateLimitingLimit);
        Assert.True(d.IsDefault);
        Assert.Equal(_time.GetUtcNow(), d.CreatedAt);
    }

    [Fact]
    public async Task ACreatedGatewaySurvivesReopeningWithEveryField()
    {
        string expected;
        using (var store = Open())
        {
            var result = await store.CreateAsync(Full("gw-1"));
            Assert.Equal(GatewayStoreStatus.Created, result.Status);
            Assert.NotEqual("", result.Settings!.InternalId);
            expected = Json(result.Settings);
        }

        using var reopened = Open();
        Assert.True(reopened.TryGet("gw-1", out var back));
        Assert.Equal(expected, Json(back));
        Assert.Equal(2, reopened.List().Count);
    }

    [Fact]
    public async Task DefaultIsCreatedOnceAndItsChangesSurviveReopening()
    {
        string firstInternalId;
        using (var store = Open())
        {
            firstInternalId = store.List()[0].InternalId;
            _time.Advance(TimeSpan.FromMinutes(1));
            var result = await store.UpdateAsync("default", 0, static (s, _) => s with { CacheTtl = 60 });
            Assert.Equal(GatewayStoreStatus.Updated, result.Status);
        }

        using var reopened = Open();
        var d = Assert.Single(reopened.List());
        Assert.Equal(firstInternalId, d.InternalId);
        Assert.Equal(60, d.CacheTtl);
        Assert.True(d.ModifiedAt > d.CreatedAt);
    }

    [Fact]
    public async Task ADeleteSurvivesReopeningAndDefaultIsNotRecreated()
    {
        using (var store = Open())
        {
            await store.CreateAsync(Full("gone"));
            Assert.NotNull(await store.DeleteAsync("gone"));
            Assert.NotNull(await store.DeleteAsync("default"));
            Assert.Null(await store.DeleteAsync("gone"));
        }

        using var reopened = Open();
        Assert.Empty(reopened.List());
        Assert.False(reopened.TryGet("gone", out _));
    }

    [Fact]
    public async Task CreatingADuplicateIdReturnsAlreadyExistsWithTheStoredGateway()
    {
        using var store = Open();
        var first = await store.CreateAsync(Full("dup"));

        var second = await store.CreateAsync(Full("dup") with { CacheTtl = 1 });

        Assert.Equal(GatewayStoreStatus.AlreadyExists, second.Status);
        Assert.Same(first.Settings, second.Settings);
        Assert.True(store.TryGet("dup", out var stored));
        Assert.Equal(300, stored.CacheTtl);
    }

    [Fact]
    public async Task UpdatingKeepsIdCreationTimeAndInternalIdAndMovesModifiedAt()
    {
        using var store = Open();
        var created = (await store.CreateAsync(Full("gw"))).Settings!;
        _time.Advance(TimeSpan.FromSeconds(5));

        var replaced = await store.ReplaceAsync(created with { CacheTtl = 9, InternalId = "forged", CreatedAt = default });

        Assert.Equal(GatewayStoreStatus.Updated, replaced.Status);
        Assert.Equal(9, replaced.Settings!.CacheTtl);
        Assert.Equal(created.InternalId, replaced.Settings.InternalId);
        Assert.Equal(created.CreatedAt, replaced.Settings.CreatedAt);
        Assert.Equal(created.CreatedAt.AddSeconds(5), replaced.Settings.ModifiedAt);
    }

    [Fact]
    public async Task MissingGatewaysAndRejectedUpdatesAreResultValues()
    {
        using var store = Open();

        Assert.Equal(GatewayStoreStatus.NotFound, (await store.ReplaceAsync(Full("nope"))).Status);
        Assert.Equal(GatewayStoreStatus.Rejected, (await store.UpdateAsync("default", 0, static (_, _) => null)).Status);
        Assert.Equal(GatewayStoreStatus.Invalid, (await store.CreateAsync(Full("Bad Id"))).Status);
        Assert.Single(store.List());
    }

    [Fact]
    public async Task ChangedReportsEachCommittedMutationInOrder()
    {
        using var store = Open();
        var changes = new List<GatewayChange>();
        store.Changed += changes.Add;

        await store.CreateAsync(Full("a"));
        await store.UpdateAsync("a", 0, static (s, _) => s with { Zdr = false });
        await store.DeleteAsync("a");
        await store.DeleteAsync("a");

        Assert.Equal([GatewayChangeKind.Created, GatewayChangeKind.Updated, GatewayChangeKind.Deleted], changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal("a", c.Id));
        Assert.True(changes[1].Previous!.Zdr);
        Assert.False(changes[1].Current!.Zdr);
    }

    [Fact]
    public async Task ListIsOrderedByCreationTimeThenId()
    {
        using var store = Open();
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync(Full("zeta"));
        await store.CreateAsync(Full("alpha"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync(Full("beta"));

        Assert.Equal(["default", "alpha", "zeta", "beta"], store.List().Select(g => g.Id));
    }

    [Fact]
    public async Task ManyUpdatesAcrossReopensKeepOnlyTheLatestValue()
    {
        for (var round = 0; round < 3; round++)
        {
            using var store = Open();
            for (var i = 0; i < 5; i++)
            {
                await store.UpdateAsync("default", round * 100 + i, static (s, ttl) => s with { CacheTtl = ttl });
            }
        }

        using var last = Open();
        Assert.True(last.TryGet("default", out var d));
        Assert.Equal(204, d.CacheTtl);
    }

    [Fact]
    public async Task AnAcknowledgedChangeIsOnDiskBeforeTheStoreIsClosed()
    {
        // Stands in for kill -9: copy the folder while the store is still open (no dispose, no final flush) and recover the copy.
        using var crashed = new TempDirectory();
        var store = Open();
        await store.CreateAsync(Full("acked"));
        await store.DeleteAsync("default");
        CopyDirectory(_dir.Path, crashed.Path);

        using var recovered = FasterGatewayStore.Open(crashed.Path, _time);
        store.Dispose();

        Assert.True(recovered.TryGet("acked", out var back));
        Assert.Equal(300, back.CacheTtl);
        Assert.False(recovered.TryGet("default", out _));
    }

    [Fact]
    public async Task ConcurrentUpdatesAreSerialisedAndNoneIsLost()
    {
        using var store = Open();
        await store.UpdateAsync("default", 0, static (s, _) => s with { CacheTtl = 0 });

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            await store.UpdateAsync("default", 0, static (s, _) => s with { CacheTtl = s.CacheTtl + 1 }))));

        Assert.True(store.TryGet("default", out var d));
        Assert.Equal(16, d.CacheTtl);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task ARecordWrittenBeforeGatewaysHadNames_LoadsWithNoName_AndTakesOneLater()
    {
        // The record as the store wrote it before `name` existed: the key is absent, not null. It is written through a
        // FASTER KV set up as the store sets up its own, the way a data folder from an older build holds it.
        const string old = """
            {"id":"old-gw","cache_invalidate_on_update":false,"cache_ttl":30,"collect_logs":true,"rate_limiting_interval":0,
             "rate_limiting_limit":0,"rate_limiting_technique":null,"authentication":false,"log_management":null,
             "log_management_strategy":null,"logpush":false,"logpush_public_key":null,"retry_max_attempts":null,"retry_delay":null,
             "retry_backoff":null,"request_timeout":null,"guardrails":null,"dlp":null,"spend_limits":null,"otel":null,"stripe":null,
             "zdr":false,"log_classification":false,"is_default":false,"store_id":null,"workers_ai_billing_mode":"postpaid",
             "internal_id":"abc","created_at":"2025-01-01T00:00:00+00:00","modified_at":"2025-01-01T00:00:00+00:00"}
            """;
        await WriteRawAsync(("gateway:old-gw", old), ("meta:seeded", "1"));

        using (var store = Open())
        {
            Assert.True(store.TryGet("old-gw", out var loaded));
            Assert.Null(loaded.Name);
            Assert.Equal(30, loaded.CacheTtl);
            Assert.Equal("abc", loaded.InternalId);
            var renamed = await store.UpdateAsync("old-gw", 0, static (current, _) => current with { Name = "Old one" });
            Assert.Equal(GatewayStoreStatus.Updated, renamed.Status);
        }

        using var reopened = Open();
        Assert.True(reopened.TryGet("old-gw", out var back));
        Assert.Equal("Old one", back.Name);
        Assert.Equal(30, back.CacheTtl);
    }

    private async Task WriteRawAsync(params (string Key, string Value)[] records)
    {
        using var settings = new FASTER.core.FasterKVSettings<string, string>(_dir.Path, deleteDirOnDispose: false)
        {
            IndexSize = 1L << 16,
            PageSize = 1L << 12,
            MemorySize = 1L << 16,
            SegmentSize = 1L << 20,
            KeySerializer = static () => new Utf8StringSerializer(),
            ValueSerializer = static () => new Utf8StringSerializer(),
            TryRecoverLatest = true,
            RemoveOutdatedCheckpoints = true,
        };
        using var kv = new FASTER.core.FasterKV<string, string>(settings);
        using (var session = kv.NewSession(new FASTER.core.SimpleFunctions<string, string>()))
        {
            foreach (var (key, value) in records)
            {
                session.Upsert(key, value);
            }
        }

        var (success, _) = await kv.TakeFullCheckpointAsync(FASTER.core.CheckpointType.FoldOver);
        Assert.True(success);
    }

    [Fact]
    public void TryGetBySpanDoesNotAllocate()
    {
        using var store = Open();
        var path = "/v1/acct/default/openai".AsSpan(9, 7);
        store.TryGet(path, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = store.TryGet(path, out var settings);
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(found);
        Assert.Equal("default", settings!.Id);
        Assert.Equal(0, after - before);
    }
}
