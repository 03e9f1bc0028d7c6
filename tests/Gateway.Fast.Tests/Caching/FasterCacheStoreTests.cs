using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Gateway.Fast.Caching;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Caching;

public sealed class FasterCacheStoreTests : IDisposable
{
    private const long Now = 1_700_000_000_000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private FasterCacheStore Open(FasterCacheOptions? options = null) => FasterCacheStore.Open(_dir.Path, options ?? CacheRecorderTests.SmallOptions());

    private static byte[] Entry(string body, long expires = Now + 60_000)
        => CacheEntry.Create(200, new HeaderDictionary { ["Content-Type"] = "application/json" }, false, Encoding.UTF8.GetBytes(body), Now, expires);

    private static CacheKey Key(string name, string gateway = "gw", long generation = 0) => CacheKey.ForCustomKey(gateway, generation, name);

    private static string? Read(FasterCacheStore store, CacheKey key, long now = Now)
    {
        if (!store.TryGet(key, now, out var hit))
        {
            return null;
        }

        using (hit)
        {
            return Encoding.UTF8.GetString(hit.Body);
        }
    }

    [Fact]
    public async Task ASetEntryIsReturnedByGetAndTryGet()
    {
        using var store = Open();
        await store.SetAsync(Key("a"), Entry("{\"a\":1}"));

        Assert.Equal("{\"a\":1}", Read(store, Key("a")));
        using var hit = await store.GetAsync(Key("a"), Now);
        Assert.True(hit.IsHit);
        Assert.Equal(200, hit.StatusCode);
        Assert.Null(Read(store, Key("b")));
    }

    [Fact]
    public async Task ALaterSetReplacesTheEntry()
    {
        using var store = Open();
        await store.SetAsync(Key("a"), Entry("old"));
        await store.SetAsync(Key("a"), Entry("new"));
        Assert.Equal("new", Read(store, Key("a")));
    }

    [Fact]
    public async Task AnExpiredEntryIsNeverServedAndIsDeleted()
    {
        using var store = Open();
        await store.SetAsync(Key("a"), Entry("x", expires: Now + 1_000));

        Assert.Equal("x", Read(store, Key("a"), Now + 999));
        Assert.Null(Read(store, Key("a"), Now + 1_000));
        Assert.Null(Read(store, Key("a"), Now)); // deleted by the expired read, not just hidden
    }

    [Fact]
    public async Task AMalformedValueIsAMiss()
    {
        using var store = Open();
        var entry = Entry("{\"a\":1}");
        await store.SetAsync(Key("a"), entry.AsMemory(0, entry.Length - 1));
        Assert.Null(Read(store, Key("a")));
    }

    [Fact]
    public async Task PurgingAGatewayHidesItsEntriesOnly()
    {
        using var store = Open();
        Assert.Equal(0, store.GetGeneration("gw"));
        await store.SetAsync(Key("a", "gw", store.GetGeneration("gw")), Entry("gw"));
        await store.SetAsync(Key("a", "other", store.GetGeneration("other")), Entry("other"));

        Assert.Equal(1, await store.PurgeGatewayAsync("gw"));

        Assert.Equal(1, store.GetGeneration("gw"));
        Assert.Null(Read(store, Key("a", "gw", store.GetGeneration("gw"))));
        Assert.Equal("other", Read(store, Key("a", "other", store.GetGeneration("other"))));
        Assert.Equal(2, await store.PurgeGatewayAsync("gw"));
    }

    [Fact]
    public async Task EntriesAndGenerationsSurviveACheckpointAndReopen()
    {
        using (var store = Open())
        {
            await store.PurgeGatewayAsync("purged");
            await store.SetAsync(Key("a"), Entry("kept"));
            await store.SetAsync(Key("b", "purged", 1), Entry("after purge"));
            await store.CheckpointAsync();
        }

        using (var store = Open())
        {
            Assert.Equal("kept", Read(store, Key("a")));
            Assert.Equal(1, store.GetGeneration("purged"));
            Assert.Equal("after purge", Read(store, Key("b", "purged", store.GetGeneration("purged"))));
        }
    }

    [Fact]
    public async Task APurgeIsDurableWithoutAnotherCheckpoint()
    {
        using (var store = Open())
        {
            await store.SetAsync(Key("a"), Entry("old"));
            await store.CheckpointAsync();
            await store.PurgeGatewayAsync("gw");
        }

        using (var store = Open())
        {
            Assert.Equal(1, store.GetGeneration("gw"));
            Assert.Null(Read(store, Key("a", "gw", store.GetGeneration("gw"))));
        }
    }

    [Fact]
    public async Task RaisingAGeneration_OnlyEverRaisesIt_AndIsDurable()
    {
        using (var store = Open())
        {
            await store.SetAsync(Key("a", "gw", 0), Entry("old"));

            Assert.True(await store.RaiseGenerationAsync("gw", 5)); // another replica's purge
            Assert.False(await store.RaiseGenerationAsync("gw", 3)); // an older announcement changes nothing
            Assert.False(await store.RaiseGenerationAsync("gw", 5));

            Assert.Equal(5, store.GetGeneration("gw"));
            Assert.Equal(0, store.GetGeneration("other"));
            Assert.Equal(6, await store.PurgeGatewayAsync("gw"));
        }

        using (var reopened = Open())
        {
            Assert.Equal(6, reopened.GetGeneration("gw"));
        }
    }

    [Fact]
    public async Task EntriesBeyondTheMemoryBudgetAreReadBackFromDisk()
    {
        // 4 KiB pages, 16 KiB in memory: 300 entries of ~1 KiB push the first ones to disk.
        var options = new FasterCacheOptions { PageSizeBits = 12, MemorySizeBits = 14, IndexSizeBits = 14, SegmentSizeBits = 20 };
        using var store = Open(options);
        for (int i = 0; i < 300; i++)
        {
            await store.SetAsync(Key(i.ToString()), Entry(i + new string('x', 1_000)));
        }

        for (int i = 0; i < 300; i++)
        {
            Assert.Equal(i + new string('x', 1_000), Read(store, Key(i.ToString())));
        }

        for (int i = 0; i < 300; i += 7)
        {
            using var hit = await store.GetAsync(Key(i.ToString()), Now);
            Assert.True(hit.IsHit);
            Assert.StartsWith(i.ToString(), Encoding.UTF8.GetString(hit.Body));
        }
    }

    [Fact]
    public async Task EntriesLargerThanAPageAreDropped()
    {
        var options = new FasterCacheOptions { PageSizeBits = 12, MemorySizeBits = 14, IndexSizeBits = 14 };
        using var store = Open(options);
        Assert.True(store.MaxEntryBytes < 4_096);
        await store.SetAsync(Key("big"), Entry(new string('x', 5_000)));
        Assert.Null(Read(store, Key("big")));
    }

    [Fact]
    public async Task ConcurrentWritersOfOneKeyNeverLetAReaderSeeAMixedEntry()
    {
        using var store = Open(new FasterCacheOptions { PageSizeBits = 16, MemorySizeBits = 20, IndexSizeBits = 14 });
        var key = Key("contended");
        const int Writers = 8, Rounds = 200;
        int reads = 0;
        using var done = new CancellationTokenSource();

        // Dedicated threads: spinning readers on pool threads starve the writers of a 2-core machine (38 s → under 1 s).
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(() =>
        {
            for (int r = 0; r < Rounds; r++)
            {
                store.SetAsync(key, SelfCheckingEntry(w, r)).GetAwaiter().GetResult();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!done.IsCancellationRequested)
            {
                if (store.TryGet(key, Now, out var hit))
                {
                    using (hit)
                    {
                        AssertSelfConsistent(hit.Body);
                        Interlocked.Increment(ref reads);
                    }
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        done.Cancel();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(reads > 0);
        Assert.True(store.TryGet(key, Now, out var last));
        using (last)
        {
            AssertSelfConsistent(last.Body);
        }
    }

    /// <summary>A body of 1–3 KiB whose last 32 bytes are the SHA-256 of the rest.</summary>
    private static byte[] SelfCheckingEntry(int writer, int round)
    {
        var payload = new byte[1_024 + (writer * 256) + round];
        payload.AsSpan().Fill((byte)writer);
        BinaryPrimitives.WriteInt32LittleEndian(payload, round);
        var body = new byte[payload.Length + 32];
        payload.CopyTo(body, 0);
        SHA256.HashData(payload, body.AsSpan(payload.Length));
        return CacheEntry.Create(200, new HeaderDictionary { ["x-writer"] = writer.ToString() }, false, body, Now, Now + 60_000);
    }

    private static void AssertSelfConsistent(ReadOnlySpan<byte> body)
    {
        Assert.True(body.Length > 32);
        var payload = body[..^32];
        Assert.True(SHA256.HashData(payload).AsSpan().SequenceEqual(body[^32..]), "a reader saw a torn entry");
    }

    [Fact]
    public async Task CheckpointsKeepTheLogWithinItsDiskBudget()
    {
        var options = new FasterCacheOptions { PageSizeBits = 12, MemorySizeBits = 14, IndexSizeBits = 14, SegmentSizeBits = 12, MaxLogBytes = 64 * 1024 };
        using (var store = Open(options))
        {
            await store.PurgeGatewayAsync("gw");
            for (int i = 0; i < 400; i++)
            {
                await store.SetAsync(Key(i.ToString(), "gw", 1), Entry(new string('y', 900)));
            }

            await store.CheckpointAsync();
            Assert.Null(Read(store, Key("0", "gw", 1)));
            Assert.NotNull(Read(store, Key("399", "gw", 1)));
        }

        using (var store = Open(options))
        {
            Assert.Equal(1, store.GetGeneration("gw"));
            Assert.NotNull(Read(store, Key("399", "gw", 1)));
        }
    }

    [Fact]
    public void TheDefaultOptionsAcceptEntriesUpToOnePageAndAllocateLittleAtOpen()
    {
        // 4 MiB pages: FASTER allocates two pages and the index when the store opens, 12 MiB with the defaults.
        using var store = FasterCacheStore.Open(_dir.Path);
        Assert.Equal((4 << 20) - 64, store.MaxEntryBytes);
        Assert.Equal(12L << 20, store.MemoryBytes);
    }

    [Fact]
    public void PagesOf32MiB_AcceptA25MiBEntry()
    {
        using var store = FasterCacheStore.Open(_dir.Path, new FasterCacheOptions { PageSizeBits = 25, MemorySizeBits = 26 });
        Assert.Equal(CacheRecorder.DefaultMaxEntryBytes, store.MaxEntryBytes);
    }
}
