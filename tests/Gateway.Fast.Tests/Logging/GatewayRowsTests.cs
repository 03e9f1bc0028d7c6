using System.Text;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

public sealed class GatewayRowsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LogBlockStore _blocks;
    private readonly LogRollup _rollup;

    public GatewayRowsTests()
    {
        _blocks = new LogBlockStore(Path.Combine(_directory.Path, "meta"), 21, recover: false);
        _rollup = new LogRollup(Path.Combine(_directory.Path, "rollup"), 21, recover: false, _ => null);
    }

    public void Dispose()
    {
        _blocks.Dispose();
        _rollup.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void RowsSurviveDroppedBlocks_AfterMostAreDeleted_AndReplaceAndOldestStayRight()
    {
        var rows = new GatewayRows("g", 0, _blocks, _rollup);
        const int Count = 4_000; // ~1 MB of records, so deleting most of them compacts the chunks more than once
        for (var n = 0; n < Count; n++)
        {
            Add(rows, n);
        }

        for (var n = 0; n < Count - 100; n++)
        {
            Assert.True(rows.Remove(Address(n)));
        }

        Assert.False(rows.Remove(Address(0)));
        Assert.Equal(100, rows.Count);
        Assert.Equal(Address(Count - 100), rows.OldestAddress());

        Assert.True(rows.Replace(Address(Count - 1), Record(Row("g", Count - 1) with { Feedback = 1, Score = 90 })));
        _blocks.Flush(); // the writer's step ends: readers see its changes
        Assert.True(rows.TryGet(Address(Count - 1), out var patched));
        Assert.Equal((1, 90.0), (patched.Feedback, patched.Score!.Value));
        Assert.False(rows.TryGet(Address(5), out _));

        var snapshot = rows.Snapshot();
        Assert.Equal(100, snapshot.Length);
        for (var i = 0; i < snapshot.Length; i++)
        {
            var n = Count - 1 - i; // newest first
            Assert.Equal(n == Count - 1 ? patched : Row("g", n), snapshot[i]);
        }

        var oldest = new List<long>();
        rows.Oldest(3, oldest);
        Assert.Equal([Address(Count - 100), Address(Count - 99), Address(Count - 98)], oldest);
        Assert.True(rows.TryGetId(Address(Count - 50), out var id));
        Assert.Equal(Row("g", Count - 50).Id, Encoding.UTF8.GetString(id));
    }

    [Fact]
    public void HolesLeftByDeletesInTheMiddle_LeaveTheRestReadable()
    {
        var rows = new GatewayRows("g", 0, _blocks, _rollup);
        const int Count = 12_000; // ~3 MB of records: deleting three in four leaves more holes than the compaction threshold
        for (var n = 0; n < Count; n++)
        {
            Add(rows, n);
        }

        for (var n = 0; n < Count; n++)
        {
            if (n % 4 != 0)
            {
                Assert.True(rows.Remove(Address(n)));
            }
        }

        for (var n = Count; n < Count + 10; n++)
        {
            Add(rows, n); // appends after a compaction land in order
        }

        _blocks.Flush();
        Assert.Equal((Count / 4) + 10, rows.Count);
        Assert.Equal(Address(0), rows.OldestAddress());
        Assert.True(rows.TryGet(Address(4_000), out var kept));
        Assert.Equal(Row("g", 4_000), kept);
        Assert.False(rows.TryGet(Address(4_001), out _));
        var snapshot = rows.Snapshot();
        Assert.Equal(rows.Count, snapshot.Length);
        Assert.Equal(Row("g", Count + 9), snapshot[0]);
        Assert.Equal(Row("g", 0), snapshot[^1]);
    }

    [Fact]
    public void CreatedBefore_FindsRowsByAge_WhateverTheirOrder()
    {
        var rows = new GatewayRows("g", 0, _blocks, _rollup);
        long[] created = [50, 10, 40, 20, 30];
        for (var n = 0; n < created.Length; n++)
        {
            var record = Row("g", n, created[n]);
            rows.Add(Address(n), Record(record), record.CreatedAtUnixMs);
        }

        var found = new List<long>();
        rows.CreatedBefore(35, found);
        Assert.Equal([Address(1), Address(3), Address(4)], found);
    }

    [Fact]
    public void RemoveBelow_DeletesTheLiveRowsUnderALogAddress_AcrossBlocks()
    {
        var rows = new GatewayRows("g", 0, _blocks, _rollup);
        const int Count = 1_000; // four blocks of 256
        for (var n = 0; n < Count; n++)
        {
            Add(rows, n);
        }

        Assert.True(rows.Remove(Address(1)));
        Assert.True(rows.Remove(Address(300)));
        Assert.Equal(0, rows.RemoveBelow(Address(0)));
        Assert.Equal(4, rows.BlockCount);

        Assert.Equal(598, rows.RemoveBelow(Address(600)));
        var left = new List<long>();
        rows.Oldest(Count, left);
        Assert.Equal(Enumerable.Range(600, Count - 600).Select(Address), left);
        Assert.Equal(2, rows.BlockCount); // the two blocks wholly below 600 are gone; the cut block and the open one stay
    }

    [Fact]
    public void RemoveBelow_LeavesWhatRemovingEachRowLeaves_ThroughClosedCutAndOpenBlocks()
    {
        // Two gateways with the same rows: one loses them row by row, the other a block at a time.
        var byRow = new GatewayRows("g", 0, _blocks, _rollup);
        var byBlock = new GatewayRows("g", 1, _blocks, _rollup);
        const int Count = 1_000; // blocks of 256: three closed, the fourth open
        for (var n = 0; n < Count; n++)
        {
            Add(byRow, n);
            Add(byBlock, n);
        }

        Assert.True(byRow.Remove(Address(300)));
        Assert.True(byBlock.Remove(Address(300)));
        foreach (var below in (int[])[600, 600, 900, 0])
        {
            for (var n = 0; n < below; n++)
            {
                byRow.Remove(Address(n));
            }

            var before = byBlock.Count;
            Assert.Equal(before - byRow.Count, byBlock.RemoveBelow(Address(below)));
            _blocks.Flush();
            Assert.Equal(byRow.Count, byBlock.Count);
            Assert.Equal(byRow.OldestAddress(), byBlock.OldestAddress());
            Assert.Equal(byRow.BlockCount, byBlock.BlockCount);
            Assert.Equal(byRow.Snapshot(), byBlock.Snapshot());
        }

        Assert.Equal(Count - 900, byBlock.Count);
        Assert.False(byBlock.TryGet(Address(899), out _));
        Assert.True(byBlock.TryGet(Address(900), out var kept));
        Assert.Equal(Row("g", 900), kept);
    }

    private static long Address(int n) => 64 + (n * 256L);

    private static void Add(GatewayRows rows, int n)
    {
        var record = Row("g", n);
        rows.Add(Address(n), Record(record), record.CreatedAtUnixMs);
    }

    private static byte[] Record(LogRecord record)
    {
        var fields = LogRowFields.From(record);
        var bytes = new byte[LogRecordCodec.MaxRecordSize(in fields)];
        return bytes[..LogRecordCodec.WriteRecord(bytes, in fields)];
    }
}
