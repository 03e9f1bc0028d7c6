using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using Xunit.Abstractions;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>The store's managed memory does not grow with its rows: only FASTER's bounded buffers and a few bytes per
/// block of 256 rows stay in memory.</summary>
public sealed class LogStoreMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int Warm = 10_000;
    private const int More = 100_000;

    // Per row before: ~280 B (the record and its slot). Now: a 40-byte summary per 256 rows, 0.16 B.
    private const double MaxBytesPerRow = 3;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ManagedMemory_AfterTenTimesTheRows_GrowsByLessThanThreeBytesARow()
    {
        await using var store = FasterLogStore.Open(_dir.Path, new FasterLogStoreOptions
        {
            CommitIntervalMs = 20,
            PageSizeBits = 16,
            MemorySizeBits = 18,
            SegmentSizeBits = 22,

            // The id index's hash table is a fixed 4 MiB, sized for these rows: FASTER adds a 64-byte overflow bucket
            // once a bucket holds 7 keys, so a table far too small for its rows grows ~9 B a row (README, "Log storage").
            IndexSizeBits = 22,
            IndexMemorySizeBits = 18,
            MetadataMemorySizeBits = 21,
        });

        // The first rows fill every FASTER buffer (log, id index, metadata) to its budget and warm the row-buffer pool.
        await AppendAsync(store, 0, Warm);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await AppendAsync(store, Warm, More);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var perRow = (after - before) / (double)More;
        output.WriteLine($"{after - before} bytes for {More} more rows: {perRow:F2} B/row; metadata {store.MetadataBytes} bytes");
        Assert.Equal(Warm + More, store.Scan("g").Count());
        Assert.True(perRow < MaxBytesPerRow, $"{perRow:F2} B/row");
    }

    private static async Task AppendAsync(FasterLogStore store, int from, int count)
    {
        for (var n = from; n < from + count; n++)
        {
            await store.AppendAsync(Entry(Row("g", n, 1_700_000_000_000 + n)), default);
        }

        await store.FlushAsync(default);
    }
}
