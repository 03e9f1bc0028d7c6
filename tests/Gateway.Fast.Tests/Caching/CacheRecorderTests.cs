using System.Text;
using Gateway.Fast.Accounting;
using Gateway.Fast.Caching;
using Gateway.Fast.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Caching;

public sealed class CacheRecorderTests : IDisposable
{
    private const long Now = 1_700_000_000_000;
    private static readonly CacheKey Key = CacheKey.ForCustomKey("gw", 0, "recorder");
    private readonly TempDirectory _dir = new();
    private readonly FasterCacheStore _store;

    public CacheRecorderTests() => _store = FasterCacheStore.Open(_dir.Path, SmallOptions());

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    internal static FasterCacheOptions SmallOptions() => new() { PageSizeBits = 16, MemorySizeBits = 18, IndexSizeBits = 16, SegmentSizeBits = 20 };

    private static HeaderDictionary Json() => new() { ["Content-Type"] = "application/json" };

    [Fact]
    public async Task ACommittedCaptureIsServedWithItsChunksInOrder()
    {
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), eventStream: false));
        recorder.Append("{\"a\":"u8);
        recorder.Append("1}"u8);

        Assert.True(await recorder.CommitAsync(_store, Key, Now, ttlSeconds: 60));
        Assert.False(recorder.IsCapturing);

        Assert.True(_store.TryGet(Key, Now, out var hit));
        using (hit)
        {
            Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(hit.Body));
            Assert.Equal(Now, hit.CreatedUnixMs);
            Assert.Equal(Now + 60_000, hit.ExpiresUnixMs);
        }
    }

    [Fact]
    public async Task AReportedUsage_IsStoredWithTheEntry()
    {
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), eventStream: false));
        recorder.Append("{\"a\":1}"u8);

        Assert.True(await recorder.CommitAsync(_store, Key, Now, 60, new Usage(11, 4, null, found: true, model: "m-1")));

        Assert.True(_store.TryGet(Key, Now, out var hit));
        using (hit)
        {
            Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(hit.Body));
            Assert.True(hit.TryGetUsage(out var usage));
            Assert.Equal((11, 4, "m-1"), (usage.InputTokens, usage.OutputTokens, usage.Model));
        }
    }

    [Fact]
    public async Task AnEntryNearTheStoresLimit_IsStoredWithoutItsUsage()
    {
        // The trailer never costs an entry its place: one that only fits without it is stored without it.
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), eventStream: false));
        recorder.Append(new byte[_store.MaxEntryBytes - recorder.Length]);

        Assert.True(await recorder.CommitAsync(_store, Key, Now, 60, new Usage(11, 4, null, found: true, model: "m-1")));

        Assert.True(_store.TryGet(Key, Now, out var hit));
        using (hit)
        {
            Assert.False(hit.TryGetUsage(out _));
        }
    }

    [Fact]
    public async Task ChunksLargerThanTheFirstBufferGrowIt()
    {
        var body = new byte[200_000];
        new Random(3).NextBytes(body);
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), false));
        for (int i = 0; i < body.Length; i += 7_000)
        {
            recorder.Append(body.AsSpan(i, Math.Min(7_000, body.Length - i)));
        }

        using var big = FasterCacheStore.Open(Path.Combine(_dir.Path, "big"), new FasterCacheOptions { PageSizeBits = 20, MemorySizeBits = 22, IndexSizeBits = 16 });
        Assert.True(await recorder.CommitAsync(big, Key, Now, 60));
        Assert.True(big.TryGet(Key, Now, out var hit));
        using (hit)
        {
            Assert.Equal(body, hit.Body.ToArray());
        }
    }

    [Fact]
    public async Task AnAbandonedCaptureIsNeverStored()
    {
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), false));
        recorder.Append("{\"partial\""u8);
        recorder.Abandon();
        recorder.Append("}"u8);

        Assert.False(await recorder.CommitAsync(_store, Key, Now, 60));
        Assert.False(_store.TryGet(Key, Now, out _));
    }

    [Theory]
    [InlineData(199)]
    [InlineData(301)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task NonSuccessStatusesAreNotCaptured(int status)
    {
        using var recorder = new CacheRecorder();
        Assert.False(recorder.Start(status, Json(), false));
        recorder.Append("{}"u8);
        Assert.False(await recorder.CommitAsync(_store, Key, Now, 60));
        Assert.False(_store.TryGet(Key, Now, out _));
    }

    [Fact]
    public async Task ACaptureOverTheMaximumSizeIsAbandoned()
    {
        using var recorder = new CacheRecorder(maxEntryBytes: 1_024);
        Assert.True(recorder.Start(200, Json(), false));
        recorder.Append(new byte[900]);
        Assert.True(recorder.IsCapturing);
        recorder.Append(new byte[200]);
        Assert.False(recorder.IsCapturing);
        recorder.Append(new byte[10]);

        Assert.False(await recorder.CommitAsync(_store, Key, Now, 60));
        Assert.False(_store.TryGet(Key, Now, out _));
    }

    [Fact]
    public async Task AnEntryLargerThanTheStoreAcceptsIsNotCommitted()
    {
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), false));
        recorder.Append(new byte[_store.MaxEntryBytes + 1]);
        Assert.False(await recorder.CommitAsync(_store, Key, Now, 60));
        Assert.False(_store.TryGet(Key, Now, out _));
    }

    [Fact]
    public async Task AZeroTtlStoresNothing()
    {
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), false));
        recorder.Append("{}"u8);
        Assert.False(await recorder.CommitAsync(_store, Key, Now, 0));
        Assert.False(_store.TryGet(Key, Now, out _));
    }

    [Fact]
    public void ARecorderCanBeReusedAfterAbandon()
    {
        using var recorder = new CacheRecorder();
        Assert.True(recorder.Start(200, Json(), false));
        recorder.Append("x"u8);
        recorder.Abandon();
        Assert.True(recorder.Start(201, Json(), false));
        recorder.Append("{}"u8);
        Assert.True(recorder.TryComplete(1, 2, out var entry));
        Assert.True(CacheEntry.TryParse(entry.Span, out var info));
        Assert.Equal(201, info.StatusCode);
        Assert.Equal(2, info.BodyLength);
    }
}
