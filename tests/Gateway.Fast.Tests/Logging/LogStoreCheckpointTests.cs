using System.Globalization;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;
using static Gateway.Fast.Tests.Logging.LogStoreTestRows;

namespace Gateway.Fast.Tests.Logging;

/// <summary>Checkpoints: a store opened from its checkpoint and the log's tail answers exactly as one that replays the whole
/// log (the oracle: a copy of the folder opened with the checkpoint ignored).</summary>
public sealed class LogStoreCheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TempDirectory _copy = new();

    public void Dispose()
    {
        _dir.Dispose();
        _copy.Dispose();
    }

    [Fact]
    public async Task Close_TakesACheckpoint_AndTheNextOpenReplaysNothing()
    {
        await using (var store = FasterLogStore.Open(_dir.Path, Small()))
        {
            await AppendAsync(store, "a", 0, 400);
            await AppendAsync(store, "b", 0, 150);
            Assert.Equal(20, await store.DeleteAsync([.. Enumerable.Range(100, 20).Select(n => Row("a", n).Id)]));
            Assert.NotNull(await store.UpdateAsync(Row("b", 3).Id, r => r with { Model = "patched", Metadata = """{"k":"v"}""" }));
        }

        CopyTo(_copy.Path);
        await using var recovered = FasterLogStore.Open(_dir.Path, Small());
        await using var replayed = FasterLogStore.Open(_copy.Path, Small(recover: false));
        Assert.True(recovered.CheckpointAddress > recovered.LogBeginAddress, "the checkpoint was not used");
        Assert.Equal(recovered.CheckpointAddress, recovered.ReplayedFrom);
        Assert.Equal(-1, replayed.CheckpointAddress);
        Assert.Equal(replayed.LogBeginAddress, replayed.ReplayedFrom);
        await AssertSameAsync(replayed, recovered, "a", "b");
        Assert.Equal(530, recovered.Rows);
        Assert.False(recovered.TryGet(Row("a", 105).Id, out _));
        Assert.True(recovered.TryGet(Row("b", 3).Id, out var patched));
        Assert.Equal("patched", patched.Model);

        // It goes on from there: new rows, a delete of a row from before the checkpoint.
        await AppendAsync(recovered, "a", 400, 10);
        Assert.Equal(1, await recovered.DeleteAsync([Row("a", 0).Id]));
        Assert.True(recovered.TryGet(Row("a", 409).Id, out _));
        Assert.False(recovered.TryGet(Row("a", 0).Id, out _));
        Assert.Equal(539, recovered.Rows);
    }

    [Fact]
    public async Task RowsAppendedDeletedPatchedAndEvictedAfterACheckpoint_AreReplayedOnce()
    {
        // No checkpoint on close: what follows the checkpoint is what a kill -9 after it leaves, committed.
        Func<string, LogRetention> retention = id => id == "a" ? new LogRetention(300, DeleteOldest: true) : LogRetention.Unlimited;
        var options = Small(checkpointOnClose: false, retention: retention);
        await using (var store = FasterLogStore.Open(_dir.Path, options))
        {
            await AppendAsync(store, "a", 0, 250);
            await AppendAsync(store, "b", 0, 100);
            Assert.True(await store.CheckpointAsync());
            await AppendAsync(store, "a", 250, 200); // the cap deletes a-0 … a-149, which the checkpoint holds
            Assert.Equal(30, await store.DeleteAsync([.. Enumerable.Range(0, 30).Select(n => Row("b", n).Id)]));
            Assert.NotNull(await store.UpdateAsync(Row("a", 200).Id, r => r with { Model = "patched" }));
            Assert.NotNull(await store.UpdateAsync(Row("b", 50).Id, r => r with { Success = false, StatusCode = 500 }));
        }

        CopyTo(_copy.Path);
        await using var recovered = FasterLogStore.Open(_dir.Path, options);
        await using var replayed = FasterLogStore.Open(_copy.Path, Small(recover: false, retention: retention));
        Assert.True(recovered.CheckpointAddress > 0, "the checkpoint was not used");
        Assert.True(recovered.ReplayedFrom > replayed.ReplayedFrom);
        await AssertSameAsync(replayed, recovered, "a", "b");
        Assert.Equal(300 + 70, recovered.Rows);
        Assert.False(recovered.TryGet(Row("a", 149).Id, out _));
        Assert.True(recovered.TryGet(Row("a", 150).Id, out _));
    }

    [Fact]
    public async Task RowsDeletedAfterACheckpoint_WhoseTombstonesTheTruncationTook_StayDeleted()
    {
        var options = Small(checkpointOnClose: false);
        long checkpointed;
        await using (var store = FasterLogStore.Open(_dir.Path, options))
        {
            await AppendAsync(store, "a", 0, 100);
            Assert.True(await store.CheckpointAsync());
            checkpointed = store.CheckpointAddress;
            Assert.Equal(100, await store.DeleteAsync([.. Enumerable.Range(0, 100).Select(n => Row("a", n).Id)]));
            await AppendAsync(store, "a", 100, 10);
            Assert.Equal(1, await store.DeleteAsync([Row("a", 100).Id]));
            Assert.True(store.LogBeginAddress > checkpointed, "the log was not truncated past the first tombstone");
        }

        CopyTo(_copy.Path);
        await using var recovered = FasterLogStore.Open(_dir.Path, options);
        await using var replayed = FasterLogStore.Open(_copy.Path, Small(recover: false));
        Assert.Equal(checkpointed, recovered.CheckpointAddress);
        await AssertSameAsync(replayed, recovered, "a");
        Assert.Equal(9, recovered.Rows);
        Assert.False(recovered.TryGet(Row("a", 0).Id, out _));
    }

    [Fact]
    public async Task ATornCheckpoint_IsIgnored_AndTheWholeLogReplayed()
    {
        await using (var store = FasterLogStore.Open(_dir.Path, Small()))
        {
            await AppendAsync(store, "a", 0, 300);
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "checkpoint")));
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        await using var reopened = FasterLogStore.Open(_dir.Path, Small());
        Assert.Equal(-1, reopened.CheckpointAddress);
        Assert.Equal(reopened.LogBeginAddress, reopened.ReplayedFrom);
        Assert.Equal(300, reopened.Rows);
        Assert.True(reopened.TryGet(Row("a", 299).Id, out _));
        AssertRollupMatchesRows(reopened, "a");
    }

    /// <summary>The small sizes of <see cref="LogStoreTestRows.Options"/>, with the checkpoint switches.</summary>
    private static FasterLogStoreOptions Small(bool checkpointOnClose = true, bool recover = true, Func<string, LogRetention>? retention = null) =>
        Options(retention: retention, checkpointOnClose: checkpointOnClose, recoverCheckpoint: recover);

    private static async Task AppendAsync(FasterLogStore store, string gateway, int from, int count)
    {
        for (var n = from; n < from + count; n++)
        {
            var row = Row(gateway, n, 1_700_000_000_000 + (n * 7_000L)) with
            {
                Model = "m" + (n % 3),
                Success = n % 5 != 0,
                TeamId = n % 2 == 0 ? "t" : null,
                TeamName = n % 2 == 0 ? "team" : null,
            };
            await store.AppendAsync(Entry(row, "{\"n\":" + n + "}", "response " + n), default);
        }

        await store.FlushAsync(default);
    }

    /// <summary>The same rows, in the same order, with the same bodies and the same analytics.</summary>
    private static async Task AssertSameAsync(FasterLogStore expected, FasterLogStore actual, params string[] gateways)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        foreach (var gateway in gateways)
        {
            var rows = expected.Scan(gateway).ToList();
            Assert.Equal(rows, actual.Scan(gateway).ToList());
            foreach (var row in rows)
            {
                Assert.True(actual.TryGet(row.Id, out var found), row.Id);
                Assert.Equal(row, found);
                var body = await actual.ReadBodyAsync(row.Id, LogBodyKind.Response, default);
                Assert.Equal("response " + int.Parse(row.Id.AsSpan(gateway.Length + 1), CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(body!.Value.Span));
            }

            Assert.Equal(Analytics(expected, gateway), Analytics(actual, gateway));
            AssertRollupMatchesRows(actual, gateway);
        }
    }

    /// <summary>The sums kept (which a double replay would count twice) equal the sums of the rows listed.</summary>
    private static void AssertRollupMatchesRows(FasterLogStore store, string gateway)
    {
        var query = Query("group_by=model&group_by=success&group_by=team");
        var scanned = LogAnalytics.Aggregate(store.Scan(gateway), query);
        Assert.True(store.TryAggregate([gateway], query, out var kept));
        Assert.Equal(Describe(scanned), Describe(kept));
    }

    private static List<string> Analytics(FasterLogStore store, string gateway)
    {
        Assert.True(store.TryAggregate([gateway], Query("group_by=model&group_by=team"), out var groups));
        return Describe(groups);
    }

    private static LogAnalyticsQuery Query(string text)
    {
        Assert.True(LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out var query, out var errors), string.Join("; ", errors));
        return query;
    }

    private static List<string> Describe(List<LogAnalyticsGroup> groups) => groups.ConvertAll(g => string.Join(' ',
        string.Join(',', g.Keys.Select(k => $"{k.Key}={k.Value}")), g.Requests, g.Errors, g.TokensIn, g.TokensOut,
        g.Cost.ToString("R", CultureInfo.InvariantCulture), g.LatencyP50, g.LatencyP99, g.TeamName));

    private void CopyTo(string destination)
    {
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(_dir.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
