using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>Retention's defaults and budgets on a real store with small pages and segments, so the budgets bite after a few hundred rows.</summary>
public sealed class LogRetentionBudgetTests : IDisposable
{
    // 16 KiB pages in 32 KiB segments: a row with a 1,500-byte body is ~1.8 KB, so a segment holds ~17 of them.
    private const int SegmentBytes = 1 << 15;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static FasterLogStoreOptions Small(long? maxDiskBytes = null, int? defaultCap = FasterLogStoreOptions.DefaultRowCap,
        Func<string, LogRetention>? retention = null, bool checkpointOnClose = true, bool sweepWhenFull = false) => new()
    {
        SweepWhenFull = sweepWhenFull, // most tests here call the sweep themselves
        CheckpointOnClose = checkpointOnClose,
        CommitIntervalMs = 5,
        PageSizeBits = 14,
        MemorySizeBits = 16,
        SegmentSizeBits = 15,
        IndexSizeBits = 14,
        IndexMemorySizeBits = 18,
        MaxDiskBytes = maxDiskBytes,
        DefaultMaxRowsPerGateway = defaultCap,
        Retention = retention,
    };

    private FasterLogStore Open(FasterLogStoreOptions options) => FasterLogStore.Open(_dir.Path, options);

    /// <summary>The folder's size as the disk holds it, walked here rather than through the store.</summary>
    private long FolderBytes() => new DirectoryInfo(_dir.Path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static string Id(string gateway, int n) => Row(gateway, n).Id;

    /// <summary>Appends rows to the gateways in turn (so their rows interleave in the log), each with a 1,500-byte response body.</summary>
    private static async Task AppendInterleavedAsync(FasterLogStore store, int perGateway, params string[] gateways)
    {
        for (var n = 0; n < perGateway; n++)
        {
            foreach (var gateway in gateways)
            {
                await store.AppendAsync(Entry(Row(gateway, n), "{\"q\":1}", new string('x', 1500)), default);
            }
        }

        await store.FlushAsync(default);
    }

    [Fact]
    public async Task DefaultRowCap_KeepsTheNewestRowsOfAGatewayThatSetsNone_AndAnExplicitCapWins()
    {
        var options = Small(defaultCap: 5, retention: id => id == "capped" ? new LogRetention(3, DeleteOldest: true) : LogRetention.Unlimited);
        string[] free = [Id("free", 7), Id("free", 6), Id("free", 5), Id("free", 4), Id("free", 3)];
        string[] capped = [Id("capped", 7), Id("capped", 6), Id("capped", 5)];
        await using (var store = Open(options))
        {
            await AppendInterleavedAsync(store, 8, "free", "capped");

            Assert.Equal(free, store.Scan("free").Select(r => r.Id));
            Assert.Equal(capped, store.Scan("capped").Select(r => r.Id));
            Assert.Equal(3 + 5, store.Evicted);
            Assert.Equal(0, store.Refused);
            Assert.False(store.TryGet(Id("free", 2), out _));
            Assert.True(store.TryGet(Id("free", 3), out _));
        }

        await using var reopened = Open(options);
        Assert.Equal(free, reopened.Scan("free").Select(r => r.Id));
        Assert.Equal(capped, reopened.Scan("capped").Select(r => r.Id));
    }

    [Fact]
    public void DefaultRowCap_IsTheHostedProductsTenMillion_OldestDeletedFirst()
    {
        var retention = new FasterLogStoreOptions().Retention!;

        Assert.Equal(new LogRetention(10_000_000, DeleteOldest: true), retention("any"));
        Assert.Equal(10L << 30, new FasterLogStoreOptions().MaxDiskBytes);
        Assert.Equal(new LogRetention(20_000, DeleteOldest: false),
            new FasterLogStoreOptions { Retention = _ => new LogRetention(20_000, DeleteOldest: false) }.Retention!("any"));
        Assert.Null(new FasterLogStoreOptions { DefaultMaxRowsPerGateway = null }.Retention);
    }

    [Fact]
    public async Task DiskBudget_DeletesTheOldestRowsOfBothGateways_UntilTheFolderFits()
    {
        // No checkpoint at close: its fixed part (the metadata and analytics stores' 128 KiB hash tables, the gateways'
        // open blocks; ~360 KiB here) is larger than this 256 KiB budget, which deleting rows cannot free.
        const long budget = 8 * SegmentBytes;
        const int perGateway = 150;
        var options = Small(maxDiskBytes: budget, checkpointOnClose: false);
        string[] keptA, keptB;
        long beginAddress;
        await using (var store = Open(options))
        {
            await AppendInterleavedAsync(store, perGateway, "a", "b");
            Assert.True(FolderBytes() > 2 * budget, $"folder {FolderBytes()} B before the sweep");

            var deleted = await store.SweepAsync(Now);

            Assert.True(FolderBytes() <= budget, $"folder {FolderBytes()} B over its budget of {budget} B after the sweep");
            Assert.Equal(deleted, store.Evicted);
            keptA = store.Scan("a").Select(r => r.Id).ToArray();
            keptB = store.Scan("b").Select(r => r.Id).ToArray();
            Assert.Equal(2 * perGateway - deleted, keptA.Length + keptB.Length);
            Assert.NotEmpty(keptA);
            Assert.NotEmpty(keptB);

            // Oldest first across both gateways: the rows were appended a0 b0 a1 b1 …, so what survives is a tail of that order.
            var kept = keptA.Concat(keptB).Select(AppendOrder).Order().ToArray();
            Assert.Equal(Enumerable.Range(kept[0], 2 * perGateway - kept[0]), kept);
            Assert.False(store.TryGet(Id("a", 0), out _));
            foreach (var id in keptA.Concat(keptB))
            {
                Assert.True(store.TryGet(id, out var record), id);
                Assert.Equal(id, record.Id);
            }

            var body = await store.ReadBodyAsync(keptA[^1], LogBodyKind.Response, default);
            Assert.Equal(1500, body!.Value.Length);
            Assert.Equal(0, await store.SweepAsync(Now));
            beginAddress = store.LogBeginAddress;
        }

        await using var reopened = Open(options);
        Assert.Equal(beginAddress, reopened.LogBeginAddress);
        Assert.Equal(keptA, reopened.Scan("a").Select(r => r.Id));
        Assert.Equal(keptB, reopened.Scan("b").Select(r => r.Id));
        Assert.Equal(0, reopened.Corrupt);
        Assert.Equal(1500, (await reopened.ReadBodyAsync(keptB[0], LogBodyKind.Response, default))!.Value.Length);

        // Reopening writes a commit of its own; the next sweep keeps the folder within the budget still.
        await reopened.SweepAsync(Now);
        Assert.True(FolderBytes() <= budget, $"folder {FolderBytes()} B after reopening: " + string.Join(", ",
            new DirectoryInfo(_dir.Path).EnumerateFiles("*", SearchOption.AllDirectories).Select(f => $"{Path.GetRelativePath(_dir.Path, f.FullName)} {f.Length}")));
    }

    /// <summary>The position of a row of gateway a or b in the interleaved append order.</summary>
    private static int AppendOrder(string id) => (2 * int.Parse(id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture)) + (id[0] == 'b' ? 1 : 0);

    [Fact]
    public async Task DiskBudget_KeepsRowsWrittenAfterTheSweep_AndTrimsAgainAtTheNextOne()
    {
        const long budget = 6 * SegmentBytes;
        await using var store = Open(Small(maxDiskBytes: budget));
        await AppendInterleavedAsync(store, 100, "a", "b");
        await store.SweepAsync(Now);
        var firstKept = store.Scan("a").Last().Id;

        await AppendInterleavedAsync(store, 200, "c");
        Assert.True(FolderBytes() > budget);
        await store.SweepAsync(Now.AddMinutes(1));

        Assert.True(FolderBytes() <= budget, $"folder {FolderBytes()} B over its budget of {budget} B");
        Assert.Empty(store.Scan("a"));
        Assert.Empty(store.Scan("b"));
        Assert.False(store.TryGet(firstKept, out _));
        Assert.Equal(Id("c", 199), store.Scan("c").First().Id);
    }

    [Fact]
    public async Task DiskBudget_WrittenFasterThanTheBudget_TrimsItselfAfterEachBatch_OldestFirst_AndKeepsEveryNewerRow()
    {
        // Each batch is ~2.3 segments of rows, a third of the budget, and nobody calls the sweep: the writer starts one
        // whenever the folder passes the budget less a segment, and frees the oldest segments down to that mark.
        const long budget = 8 * SegmentBytes;
        const int batch = 40, batches = 12;
        var options = Small(maxDiskBytes: budget, checkpointOnClose: false, sweepWhenFull: true);
        var sizes = new List<long>();
        string[] kept;
        await using (var store = Open(options))
        {
            for (var b = 0; b < batches; b++)
            {
                for (var n = b * batch; n < (b + 1) * batch; n++)
                {
                    await store.AppendAsync(Entry(Row("a", n), "{\"q\":1}", new string('x', 1500)), default);
                }

                await store.FlushAsync(default); // the commit after the batch's last row measures the folder
                await store.DiskSweep;
                sizes.Add(FolderBytes());
                Assert.True(sizes[^1] <= budget, $"folder {sizes[^1]} B over its budget of {budget} B after batch {b}");

                // What is left is the newest rows, with no gap: every row newer than the oldest kept one is there.
                var ids = store.Scan("a").Select(r => int.Parse(r.Id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(Enumerable.Range(ids[^1], ((b + 1) * batch) - ids[^1]).Reverse(), ids);
                Assert.Equal(((b + 1) * batch) - ids.Length, store.Evicted);
            }

            Assert.True(store.Evicted > batch * batches / 2, $"{store.Evicted} rows deleted");
            kept = store.Scan("a").Select(r => r.Id).ToArray();
            Assert.All(kept, id => Assert.True(store.TryGet(id, out _), id));
            Assert.False(store.TryGet(Id("a", 0), out _)); // trimmed without a tombstone: its index record leads nowhere
            Assert.Null(await store.ReadBodyAsync(Id("a", 0), LogBodyKind.Response, default));
        }

        // The trimmed rows have no tombstones: the begin address committed with each step is what keeps them gone.
        await using var reopened = Open(options);
        Assert.Equal(kept, reopened.Scan("a").Select(r => r.Id));
        Assert.False(reopened.TryGet(Id("a", 0), out _));
        Assert.Equal(0, reopened.Corrupt);
    }

    [Fact]
    public async Task DiskBudget_TrimmedAfterACheckpoint_StaysTrimmedWhenTheCheckpointIsRecovered()
    {
        // The checkpoint lists rows that the disk budget deletes afterwards, with no tombstone: recovery drops what lies
        // below the committed begin address. The budget leaves room for the checkpoint's fixed part (~360 KiB).
        const long budget = 24 * SegmentBytes;
        var options = Small(maxDiskBytes: budget, checkpointOnClose: false);
        string[] kept;
        await using (var store = Open(options))
        {
            await AppendInterleavedAsync(store, 150, "a", "b");
            Assert.True(await store.CheckpointAsync());
            await AppendInterleavedAsync(store, 150, "c");
            Assert.True(await store.SweepAsync(Now) > 0);
            Assert.False(store.TryGet(Id("a", 0), out _));
            kept = store.Scan("a").Concat(store.Scan("b")).Concat(store.Scan("c")).Select(r => r.Id).ToArray();
        }

        await using var reopened = Open(options);
        Assert.True(reopened.CheckpointAddress > 0, "the checkpoint was not used");
        Assert.Equal(kept, reopened.Scan("a").Concat(reopened.Scan("b")).Concat(reopened.Scan("c")).Select(r => r.Id));
        Assert.False(reopened.TryGet(Id("a", 0), out _));
        Assert.Equal(0, reopened.Corrupt);
    }

    [Fact]
    public async Task DiskBudget_SmallerThanTheSegmentBeingWritten_KeepsThatSegmentsRows_AndReportsOverBudget()
    {
        await using var store = Open(Small(maxDiskBytes: 1));
        await AppendInterleavedAsync(store, 60, "a", "b");

        var deleted = await store.SweepAsync(Now);

        var kept = store.Scan("a").Concat(store.Scan("b")).ToArray();
        Assert.NotEmpty(kept);
        Assert.Equal(120, deleted + kept.Length);
        Assert.All(kept, r => Assert.True(store.TryGet(r.Id, out _)));
        // What is left fits in the segment being written.
        Assert.True(FolderBytes() < 2 * SegmentBytes + (64 * 1024), $"folder {FolderBytes()} B");
        var status = store.StorageStatus();
        Assert.True(status.OverBudget);
        Assert.True(status.Warning);
        Assert.Equal(kept.Length, status.Rows);
    }

    [Fact]
    public async Task StorageStatus_WarnsFromEightyPercentOfTheBudget()
    {
        await using var store = Open(Small(maxDiskBytes: 1L << 30));
        await AppendInterleavedAsync(store, 10, "a");
        var status = store.StorageStatus();

        Assert.Equal(FolderBytes(), status.UsedBytes);
        Assert.Equal(10, status.Rows);
        Assert.Equal((long)((1L << 30) * 0.8), status.WarningBytes);
        Assert.False(status.Warning);
        Assert.True((status with { UsedBytes = status.WarningBytes!.Value }).Warning);
        Assert.False((status with { BudgetBytes = null }).Warning);
    }
}
