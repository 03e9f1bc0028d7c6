using System.Text;
using FASTER.core;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>The log's commits in one file of two slots (<see cref="LogCommitSlots"/>): what recovery reads is what FASTER's
/// file-per-commit manager gave it, a torn write falls back to the commit before, and a folder written with FASTER's
/// manager opens with every committed row.</summary>
public sealed class LogCommitSlotsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ManyCommits_LeaveOneCommitFile_AndAReopenedStoreHasEveryCommittedRow()
    {
        await using (var store = FasterLogStore.Open(_dir.Path, Options(checkpointOnClose: false)))
        {
            for (var batch = 0; batch < 20; batch++)
            {
                await AppendAsync(store, batch * 10, 10); // each batch ends with a commit
            }
        }

        var log = Path.Combine(_dir.Path, "log");
        Assert.True(File.Exists(Path.Combine(log, LogCommitSlots.FileName)));
        Assert.False(Directory.Exists(Path.Combine(log, "log-commits")), "a commit made a file of its own");

        // Replayed from the log alone: the rows are there because the log's commit point is.
        await using var reopened = FasterLogStore.Open(_dir.Path, Options(recoverCheckpoint: false));
        Assert.Equal(0, reopened.Corrupt);
        Assert.Equal(200, reopened.Scan("g").Count());
        Assert.True(reopened.TryGet(Row("g", 199).Id, out _));
    }

    [Fact]
    public void ATornNewestSlot_ReadsAsAbsent_AndTheCommitBeforeItIsTheNewest()
    {
        byte[] first = [1, 2, 3], second = [4, 5, 6, 7];
        using (var slots = new LogCommitSlots(_dir.Path))
        {
            slots.Commit(0, 100, first, 1, forceWriteMetadata: false);
            slots.Commit(0, 200, second, 2, forceWriteMetadata: false);
            Assert.Equal([2L, 1L], slots.ListCommits());
            Assert.Equal(second, slots.GetCommitMetadata(2));
        }

        // Commit 2 went to the second slot; flip one byte of its metadata, as a write cut short would leave it.
        var path = Path.Combine(_dir.Path, LogCommitSlots.FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[LogCommitSlots.SlotBytes + 17] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        using (var slots = new LogCommitSlots(_dir.Path))
        {
            Assert.Equal([1L], slots.ListCommits());
            Assert.Equal(first, slots.GetCommitMetadata(1));

            // The next commit overwrites the torn slot, not the one recovery stands on.
            slots.Commit(0, 300, second, 3, forceWriteMetadata: false);
            Assert.Equal([3L, 1L], slots.ListCommits());
        }
    }

    [Fact]
    public void ACommitAlternatesSlots_SoTheNewestIsNeverOverwritten()
    {
        using var slots = new LogCommitSlots(_dir.Path);
        for (long number = 1; number <= 5; number++)
        {
            slots.Commit(0, number * 100, Encoding.UTF8.GetBytes("commit " + number), number, forceWriteMetadata: false);
            Assert.Equal([number, .. number > 1 ? new[] { number - 1 } : []], slots.ListCommits());
        }

        slots.RemoveCommit(4);
        Assert.Equal([5L], slots.ListCommits());
        Assert.Equal("commit 5", Encoding.UTF8.GetString(slots.GetCommitMetadata(5)));
        slots.RemoveAllCommits();
        Assert.Empty(slots.ListCommits());
    }

    [Fact]
    public async Task AFolderWithFasterCommitFiles_OpensWithEveryCommittedRow_AndItsNextCommitReplacesThem()
    {
        await using (var store = FasterLogStore.Open(_dir.Path, Options(checkpointOnClose: false)))
        {
            await AppendAsync(store, 0, 50);
        }

        // Rewrite the newest commit as FASTER's own manager kept it (log-commits/commit.N), as a folder written before the
        // slots existed has it, and remove the slots' file.
        var log = Path.Combine(_dir.Path, "log");
        long newest;
        byte[] metadata;
        using (var slots = new LogCommitSlots(log))
        {
            newest = slots.ListCommits().First();
            metadata = slots.GetCommitMetadata(newest);
        }

        File.Delete(Path.Combine(log, LogCommitSlots.FileName));
        using (var faster = new DeviceLogCommitCheckpointManager(new LocalStorageNamedDeviceFactory(), new DefaultCheckpointNamingScheme(log)))
        {
            faster.Commit(0, 0, metadata, newest, forceWriteMetadata: false);
        }

        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(log, "log-commits")));

        await using (var store = FasterLogStore.Open(_dir.Path, Options(checkpointOnClose: false, recoverCheckpoint: false)))
        {
            Assert.Equal(0, store.Corrupt);
            Assert.Equal(50, store.Scan("g").Count());
            await AppendAsync(store, 50, 10);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(log, "log-commits")));
        await using var reopened = FasterLogStore.Open(_dir.Path, Options(recoverCheckpoint: false));
        Assert.Equal(60, reopened.Scan("g").Count());
    }

    private static async Task AppendAsync(FasterLogStore store, int from, int count)
    {
        for (var n = from; n < from + count; n++)
        {
            await store.AppendAsync(Entry(Row("g", n)), default);
        }

        await store.FlushAsync(default);
    }
}
