using System.Text;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

public sealed class FasterLogStoreTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private FasterLogStore Open(FasterLogStoreOptions? options = null) => FasterLogStore.Open(_dir.Path, options ?? Options());

    [Fact]
    public async Task AppendedRows_AreReadableAfterFlush_AndScanListsThemNewestFirst()
    {
        await using var store = Open();
        for (var n = 0; n < 3; n++)
        {
            await store.AppendAsync(Entry(Row("g1", n)), default);
        }

        await store.AppendAsync(Entry(Row("g2", 0)), default);
        await store.FlushAsync(default);

        Assert.True(store.TryGet("g1-000001", out var record));
        Assert.Equal(Row("g1", 1), record);
        Assert.Equal(["g1-000002", "g1-000001", "g1-000000"], store.Scan("g1").Select(r => r.Id));
        Assert.Equal(["g2-000000"], store.Scan("g2").Select(r => r.Id));
        Assert.Empty(store.Scan("nobody"));
        Assert.False(store.TryGet("missing", out _));
        Assert.Equal(4, store.Committed);
        Assert.Equal(0, store.QueueDepth);
    }

    [Fact]
    public async Task RowsQueuedBetweenCommits_AreTakenIntoTheLogAtTheDrainInterval_NotAtTheCommit()
    {
        // A commit ten minutes away: each row must reach the log (and give its array back) at the drain interval.
        await using var store = Open(new FasterLogStoreOptions
        {
            CommitIntervalMs = 600_000,
            DrainIntervalMs = 1,
            PageSizeBits = 16,
            MemorySizeBits = 18,
            SegmentSizeBits = 16,
            IndexSizeBits = 14,
            IndexMemorySizeBits = 18,
        });
        for (var n = 0; n < 3; n++)
        {
            await store.AppendAsync(Entry(Row("g", n)), default);
            var appended = n + 1;
            await Fleet.Eventually.HoldsAsync(() => store.Appended == appended, Timeout, $"row {n} taken into the log before its commit");
        }

        Assert.Equal(0, store.Committed);
        Assert.False(store.TryGet("g-000000", out _)); // readable only once committed, as before

        await store.FlushAsync(default);
        Assert.Equal(3, store.Committed);
        Assert.Equal(["g-000002", "g-000001", "g-000000"], store.Scan("g").Select(r => r.Id));
    }

    [Fact]
    public async Task ScanOfARange_ListsOnlyTheRowsCreatedInItNewestFirst()
    {
        await using var store = Open();
        for (var n = 0; n < 5; n++)
        {
            await store.AppendAsync(Entry(Row("g", n, createdAtUnixMs: 1_000 * (n + 1))), default);
        }

        await store.FlushAsync(default);

        Assert.Equal(["g-000003", "g-000002", "g-000001"], store.Scan("g", 2_000, 5_000).Select(r => r.Id));
        Assert.Equal(["g-000001", "g-000000"], store.Scan("g", null, 3_000).Select(r => r.Id));
        Assert.Equal(5, store.Scan("g", null, null).Count());
        Assert.Empty(store.Scan("g", 6_000, null));
        Assert.Empty(store.Scan("nobody", null, null));
    }

    [Fact]
    public async Task Bodies_RoundTrip_AndAreNullWhenNotKept()
    {
        await using var store = Open();
        var big = new string('b', 20_000);
        await store.AppendAsync(Entry(Row("g", 0), "request ü", big), default);
        await store.AppendAsync(Entry(Row("g", 1) with { BodiesKept = false }), default);
        await store.FlushAsync(default);

        var request = await store.ReadBodyAsync("g-000000", LogBodyKind.Request, default);
        var response = await store.ReadBodyAsync("g-000000", LogBodyKind.Response, default);
        Assert.Equal("request ü", Encoding.UTF8.GetString(request!.Value.Span));
        Assert.Equal(big, Encoding.UTF8.GetString(response!.Value.Span));
        Assert.Null(await store.ReadBodyAsync("g-000001", LogBodyKind.Request, default));
        Assert.Null(await store.ReadBodyAsync("missing", LogBodyKind.Request, default));
    }

    [Fact]
    public async Task RowTooLargeForAPage_IsKeptWithoutItsBodies()
    {
        await using var store = Open();
        await store.AppendAsync(Entry(Row("g", 0), "small", new string('x', 1 << 17)), default);
        await store.FlushAsync(default);

        Assert.True(store.TryGet("g-000000", out var record));
        Assert.False(record.BodiesKept);
        Assert.Null(await store.ReadBodyAsync("g-000000", LogBodyKind.Response, default));
    }

    [Fact]
    public async Task UpdateAndDelete_PersistAcrossDisposeAndReopen()
    {
        await using (var store = Open())
        {
            for (var n = 0; n < 3; n++)
            {
                await store.AppendAsync(Entry(Row("g", n)), default);
            }

            var updated = await store.UpdateAsync("g-000001", static r => r with { Feedback = 1, Score = 0.5, Id = "ignored" });
            Assert.Equal(1, updated!.Feedback);
            Assert.Equal("g-000001", updated.Id);
            Assert.Null(await store.UpdateAsync("missing", static r => r));
            Assert.Equal(1, await store.DeleteAsync(["g-000000", "missing"]));
            Assert.False(store.TryGet("g-000000", out _));
        }

        await using (var reopened = Open())
        {
            Assert.Equal(["g-000002", "g-000001"], reopened.Scan("g").Select(r => r.Id));
            Assert.True(reopened.TryGet("g-000001", out var record));
            Assert.Equal(Row("g", 1) with { Feedback = 1, Score = 0.5 }, record);
            Assert.False(reopened.TryGet("g-000000", out _));
            Assert.Null(await reopened.ReadBodyAsync("g-000000", LogBodyKind.Request, default));
            var body = await reopened.ReadBodyAsync("g-000001", LogBodyKind.Request, default);
            Assert.Equal("{\"q\":1}", Encoding.UTF8.GetString(body!.Value.Span));
            Assert.Equal(0, reopened.Corrupt);
        }
    }

    [Fact]
    public async Task TeamSessionAndGuardrailFields_SurviveUpdateAndReopen()
    {
        var record = Row("g", 1) with { TeamId = "t-1", TeamName = "Red", SessionId = "abc-123", GuardrailFlags = "S11", DlpAction = "FLAG" };
        await using (var store = Open())
        {
            await store.AppendAsync(Entry(record), default);
            await store.AppendAsync(Entry(Row("g", 2)), default);
            Assert.Equal(record with { Feedback = 1 }, await store.UpdateAsync("g-000001", static r => r with { Feedback = 1 }));
        }

        await using var reopened = Open();
        Assert.True(reopened.TryGet("g-000001", out var read));
        Assert.Equal(record with { Feedback = 1 }, read);
        Assert.Equal([null, "t-1"], reopened.Scan("g").Select(r => r.TeamId));
        Assert.Equal(0, reopened.Corrupt);
    }

    [Fact]
    public async Task AppendAsync_WaitsForRoom_WhenTheQueueIsFull()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var store = Open(Options(queueCapacity: 4, gate: () => new ValueTask(release.Task)));

        for (var n = 0; n < 4; n++)
        {
            Assert.True(store.AppendAsync(Entry(Row("g", n)), default).IsCompletedSuccessfully);
        }

        var fifth = store.AppendAsync(Entry(Row("g", 4)), default).AsTask();
        Assert.False(fifth.IsCompleted);
        Assert.Equal(4, store.QueueDepth);

        release.SetResult();
        await fifth.WaitAsync(Timeout);
        await store.FlushAsync(default).AsTask().WaitAsync(Timeout);
        Assert.Equal(5, store.Scan("g").Count());
    }

    [Fact]
    public async Task RowsAppendedBeforeDispose_AreDurable_AndFlushedRowsToo()
    {
        await using (var store = Open())
        {
            for (var n = 0; n < 500; n++)
            {
                await store.AppendAsync(Entry(Row("g", n)), default);
            }

            await store.FlushAsync(default);
            Assert.Equal(500, store.Committed);
            for (var n = 500; n < 1000; n++)
            {
                await store.AppendAsync(Entry(Row("g", n)), default);
            }
        }

        await using var reopened = Open();
        var ids = reopened.Scan("g").Select(r => r.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 1000).Reverse().Select(n => $"g-{n:D6}"), ids);
        Assert.True(reopened.TryGet("g-000999", out var last));
        Assert.Equal(Row("g", 999), last);
    }

    [Fact]
    public async Task StopInserting_RefusesRowsOverTheCap_AndCountsThem()
    {
        var options = Options(retention: id => id == "capped" ? new LogRetention(3, DeleteOldest: false) : LogRetention.Unlimited);
        await using var store = Open(options);
        for (var n = 0; n < 5; n++)
        {
            await store.AppendAsync(Entry(Row("capped", n)), default);
            await store.AppendAsync(Entry(Row("free", n)), default);
        }

        await store.FlushAsync(default);

        Assert.Equal(["capped-000002", "capped-000001", "capped-000000"], store.Scan("capped").Select(r => r.Id));
        Assert.Equal(5, store.Scan("free").Count());
        Assert.Equal(2, store.Refused);
    }

    [Fact]
    public async Task DeleteOldest_KeepsTheNewestRows_AcrossReopen()
    {
        var options = Options(retention: _ => new LogRetention(3, DeleteOldest: true));
        await using (var store = Open(options))
        {
            for (var n = 0; n < 5; n++)
            {
                await store.AppendAsync(Entry(Row("g", n)), default);
            }

            await store.FlushAsync(default);
            Assert.Equal(["g-000004", "g-000003", "g-000002"], store.Scan("g").Select(r => r.Id));
            Assert.Equal(2, store.Evicted);
            Assert.Equal(0, store.Refused);
        }

        await using var reopened = Open(options);
        Assert.Equal(["g-000004", "g-000003", "g-000002"], reopened.Scan("g").Select(r => r.Id));
        Assert.False(reopened.TryGet("g-000000", out _));
    }

    [Fact]
    public async Task Sweep_DeletesRowsPastMaxAge_AndTruncatesTheLog()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var options = Options(maxAge: TimeSpan.FromDays(1));
        long beginAddress;
        await using (var store = Open(options))
        {
            for (var n = 0; n < 300; n++)
            {
                var age = n < 200 ? TimeSpan.FromDays(2) : TimeSpan.FromHours(1);
                await store.AppendAsync(Entry(Row("g", n, (now - age).ToUnixTimeMilliseconds()), "r", new string('x', 2000)), default);
            }

            Assert.Equal(200, await store.SweepAsync(now));
            Assert.Equal(100, store.Scan("g").Count());
            Assert.True(store.TryGet("g-000200", out _));
            Assert.False(store.TryGet("g-000199", out _));
            Assert.Equal(0, await store.SweepAsync(now));
            beginAddress = store.LogBeginAddress;
            Assert.True(beginAddress > 200 * 2000, $"begin address {beginAddress}");
        }

        // The truncation is committed: a restart replays from the new begin address (FASTER deletes the segment files below it).

        await using var reopened = Open(options);
        Assert.Equal(beginAddress, reopened.LogBeginAddress);
        Assert.Equal(100, reopened.Scan("g").Count());
        var body = await reopened.ReadBodyAsync("g-000250", LogBodyKind.Response, default);
        Assert.Equal(2000, body!.Value.Length);
    }

    [Fact]
    public async Task ReopeningWithOtherPageAndSegmentSizes_KeepsTheFolderLayout_AndLosesNoRow()
    {
        await using (var store = Open())
        {
            for (var n = 0; n < 400; n++)
            {
                await store.AppendAsync(Entry(Row("g", n), "r", new string('x', 1000)), default);
            }
        }

        // 400 KB over 64 KiB pages; read back with 16 MiB pages the log used to end at the first page boundary.
        await using var reopened = Open(new FasterLogStoreOptions { PageSizeBits = 24, MemorySizeBits = 25, SegmentSizeBits = 28 });
        Assert.Equal(400, reopened.Scan("g").Count());
        Assert.Equal(0, reopened.Corrupt);
    }
}
