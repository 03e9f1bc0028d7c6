using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>With the default options, a burst of rows with large bodies leaves the store's pinned memory (FASTER's page
/// buffers) where it was when the store opened, give or take a few pages: the log's buffer is its two first pages.</summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class LogStoreDefaultBudgetTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 320;
    private const int BodyBytes = 64 << 10; // 320 rows of two 64 KiB bodies: 40 MiB, past the former 32 MiB log buffer

    // What the rows may add: pages of the metadata and id index (1 MiB each) as their tails advance. The former defaults
    // (a 32 MiB log buffer) added 24 MiB here.
    private const long MaxPinnedGrowth = 6L << 20;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PinnedMemory_AfterMoreRowsThanTheFormerLogBuffer_GrowsByUnderSixMebibytes()
    {
        await using var store = FasterLogStore.Open(_dir.Path, new FasterLogStoreOptions { CommitIntervalMs = 20 });
        var opened = PinnedBytesAfterFullCollection();

        var body = new string('x', BodyBytes);
        for (var n = 0; n < Rows; n++)
        {
            await store.AppendAsync(Entry(Row("g", n, 1_700_000_000_000 + n), body, body), default);
        }

        await store.FlushAsync(default);
        await store.Compactions;
        var after = PinnedBytesAfterFullCollection();

        output.WriteLine($"pinned heap: {opened >> 10} KiB when opened, {after >> 10} KiB after {Rows} rows with bodies");
        Assert.Equal(Rows, store.Scan("g").Count());
        Assert.True(store.TryGet(Row("g", 0).Id, out _));
        Assert.InRange(after - opened, long.MinValue, MaxPinnedGrowth);
    }

    /// <summary>The pinned heap's live bytes after a full blocking collection (FASTER allocates its pages there).</summary>
    private static long PinnedBytesAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var pinned = GC.GetGCMemoryInfo(GCKind.FullBlocking).GenerationInfo[4];
        return pinned.SizeAfterBytes - pinned.FragmentationAfterBytes;
    }
}
