using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Logging;

/// <summary>The row metadata store under its background compaction.</summary>
public sealed class LogBlockStoreTests : IDisposable
{
    private const int Blocks = 80;
    private const int BlockBytes = 60_000; // 80 blocks: 4.8 MB, past the 4 MiB at which a 2 MiB budget compacts
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_OvertakenByACompactionWhileOnDisk_FindsTheBlockItCopiedToTheTail()
    {
        using var store = new LogBlockStore(_dir.Path, memorySizeBits: 21, recover: false);
        for (var n = 0; n < Blocks; n++)
        {
            store.Upsert(0, n, Block(n));
        }

        var begin = store.BeginAddress;

        // Block 0 is on disk: its read goes pending, and the whole compaction (copy to the tail, then the begin
        // address moved past the old copy) runs before the read completes.
        var compacted = false;
        store.ReadPending = () =>
        {
            store.ReadPending = null;
            store.CompactIfGrown();
            store.Compaction.Wait();
            compacted = true;
        };
        using var buffer = new LogBlockBuffer();
        var found = store.TryRead(0, 0, buffer);

        Assert.True(compacted);
        Assert.True(store.BeginAddress > begin, "the compaction moved the begin address");
        Assert.True(found);
        Assert.Equal(Block(0), buffer.Span.ToArray());
        for (var n = 1; n < Blocks; n += 7)
        {
            Assert.True(store.TryRead(0, n, buffer));
            Assert.Equal(Block(n), buffer.Span.ToArray());
        }
    }

    [Fact]
    public void ReadMany_OnDiskAndInMemoryTogether_AnswersEachAsTryRead_AndAfterACompactionOvertookThem()
    {
        using var store = new LogBlockStore(_dir.Path, memorySizeBits: 21, recover: false);
        for (var n = 0; n < Blocks; n++)
        {
            store.Upsert(0, n, Block(n));
        }

        // The oldest blocks on disk, the newest in memory, and one never written.
        long[] numbers = [0, 1, 2, Blocks - 1, Blocks + 5, 3];
        var buffers = numbers.Select(_ => new LogBlockBuffer()).ToArray();
        var pending = 0;
        store.ReadPending = () => pending++;
        store.ReadMany(0, numbers, buffers);
        Assert.Equal(1, pending); // the reads that went to disk were waited for once
        AssertRead(numbers, buffers);

        // A compaction that moves the begin address past the old copies while the reads are pending.
        var begin = store.BeginAddress;
        store.ReadPending = () =>
        {
            store.ReadPending = null;
            store.CompactIfGrown();
            store.Compaction.Wait();
        };
        store.ReadMany(0, numbers, buffers);
        Assert.True(store.BeginAddress > begin, "the compaction moved the begin address");
        AssertRead(numbers, buffers);
        foreach (var buffer in buffers)
        {
            buffer.Dispose();
        }

        static void AssertRead(long[] numbers, LogBlockBuffer[] buffers)
        {
            for (var i = 0; i < numbers.Length; i++)
            {
                Assert.Equal(numbers[i] < Blocks ? Block((int)numbers[i]) : [], buffers[i].Span.ToArray());
            }
        }
    }

    private static byte[] Block(int n)
    {
        var block = new byte[BlockBytes];
        new Random(n).NextBytes(block);
        return block;
    }
}
