using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>What the store's background work keeps: the id index's compaction drops the records of rows retention has
/// truncated without looking their ids up, and FASTER's devices keep a bounded number of handles per segment file however
/// many reads come at once.</summary>
public sealed class LogStoreFileHandleTests : IDisposable
{
    private const int Rows = 20_000;
    private const int Cap = 1_000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task IndexCompaction_AfterRetention_DropsTruncatedRowsWithoutLookingThemUp()
    {
        var store = FasterLogStore.Open(_dir.Path, Small(Cap));
        try
        {
            await AppendAsync(store, Rows);
            await store.Compactions;

            // Each id lookup walks a chain of ~45 records (this 4 KiB table), from disk past the 64 KiB budget; the
            // compactions ran over the index's older records again and again, almost all of them rows deleted by the cap.
            var (copies, dropped) = store.IndexCompaction;
            Assert.True(dropped >= Rows / 2, $"{dropped} records dropped, {copies} looked up");
            Assert.True(copies <= Rows / 4, $"{copies} records looked up, {dropped} dropped");
            AssertNewestKept(store);
        }
        finally
        {
            await store.DisposeAsync();
        }

        await using var reopened = FasterLogStore.Open(_dir.Path, Small(Cap));
        AssertNewestKept(reopened);
    }

    [Fact]
    public async Task IndexCompaction_WithNothingDeleted_DoesNotRun()
    {
        // Every index record is live while no row is deleted: a compaction would only copy them, each by a walk of its
        // chain, and reclaim nothing. The index grows past its memory budget many times over here.
        await using (var store = FasterLogStore.Open(_dir.Path, Small(cap: null)))
        {
            await AppendAsync(store, Rows);
            await store.Compactions;
            Assert.Equal((0L, 0L), store.IndexCompaction);
            Assert.Equal(Rows, store.Scan("g").Count());
            Assert.True(store.TryGet(Row("g", 0).Id, out _));
            Assert.True(store.TryGet(Row("g", Rows - 1).Id, out _));
        }

        await using var reopened = FasterLogStore.Open(_dir.Path, Small(cap: null));
        Assert.True(reopened.TryGet(Row("g", 0).Id, out _));
        Assert.True(reopened.TryGet(Row("g", Rows - 1).Id, out _));
    }

    [Fact]
    public async Task Descriptors_UnderConcurrentReadsCompactionsAndCheckpoints_StayWithinEachSegmentsPools()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the open descriptors are read from /proc
        }

        await using var store = FasterLogStore.Open(_dir.Path, Small(cap: null));
        await AppendAsync(store, Rows);

        // Readers on threads of their own, so that many lookups of ids whose index records are on disk are in flight at
        // once, while the store checkpoints; FASTER's default opened a handle for each read that found the others busy.
        for (var round = 0; round < 3; round++)
        {
            var readers = Enumerable.Range(0, 32).Select(r => Task.Factory.StartNew(
                () =>
                {
                    for (var n = r; n < Rows; n += 97)
                    {
                        Assert.True(store.TryGet(Row("g", n).Id, out _));
                    }
                },
                TaskCreationOptions.LongRunning)).ToArray();
            await store.CheckpointAsync();
            await Task.WhenAll(readers);
            await store.Compactions;
        }

        var perFile = OpenFilesUnder(_dir.Path);
        Assert.NotEmpty(perFile);
        foreach (var (file, handles) in perFile)
        {
            Assert.True(handles <= 2 * LogDeviceHandles.PerSegment, $"{handles} handles open on {file}");
        }
    }

    private static void AssertNewestKept(FasterLogStore store)
    {
        Assert.Equal(Cap, store.Scan("g").Count());
        for (var n = Rows - Cap; n < Rows; n += 7)
        {
            Assert.True(store.TryGet(Row("g", n).Id, out var row), Row("g", n).Id);
            Assert.Equal(Row("g", n), row);
        }

        Assert.False(store.TryGet(Row("g", Rows - Cap - 1).Id, out _));
        Assert.False(store.TryGet(Row("g", 0).Id, out _));
    }

    private static async Task AppendAsync(FasterLogStore store, int rows)
    {
        for (var n = 0; n < rows; n++)
        {
            await store.AppendAsync(Entry(Row("g", n)), default);
        }

        await store.FlushAsync(default);
    }

    /// <summary>The process's open descriptors on files under <paramref name="directory"/>, by file.</summary>
    private static Dictionary<string, int> OpenFilesUnder(string directory)
    {
        var prefix = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed since it was listed
            }

            if (target is not null && target.StartsWith(prefix, StringComparison.Ordinal))
            {
                files[target] = files.GetValueOrDefault(target) + 1;
            }
        }

        return files;
    }

    /// <summary>A 4 KiB id table (448 tags) with 64 KiB of index records in memory, 64 KiB log pages and segments, and a
    /// per-gateway cap (deleting the oldest) or none.</summary>
    private static FasterLogStoreOptions Small(int? cap) => new()
    {
        CommitIntervalMs = 5,
        PageSizeBits = 16,
        MemorySizeBits = 18,
        SegmentSizeBits = 16,
        IndexSizeBits = 12,
        IndexMemorySizeBits = 16,
        MetadataMemorySizeBits = 21,
        DefaultMaxRowsPerGateway = cap,
    };
}
