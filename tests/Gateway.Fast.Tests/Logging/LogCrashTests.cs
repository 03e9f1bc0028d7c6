using System.Diagnostics;
using Gateway.Fast.LogCrashHost;
using Gateway.Fast.Logging;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Logging;

/// <summary>docs/design.md#where-state-lives: a <c>kill -9</c> loses no log record that was committed.</summary>
public sealed class LogCrashTests : IDisposable
{
    private const int CommittedIdsBeforeKill = 2_000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EveryCommittedRow_SurvivesSigkill_AndNoRowIsCorrupt()
    {
        var printed = new List<string>();
        using (var host = Process.Start(HostStartInfo(_dir.Path))!)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (printed.Count < CommittedIdsBeforeKill)
                {
                    var line = await host.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException("The crash host exited: " + await host.StandardError.ReadToEndAsync(timeout.Token));
                    printed.Add(line);
                }
            }
            finally
            {
                host.Kill(entireProcessTree: true); // SIGKILL: no DisposeAsync, no final commit
                await host.WaitForExitAsync();
            }
        }

        await using var store = FasterLogStore.Open(_dir.Path);
        Assert.Equal(0, store.Corrupt);
        foreach (var id in printed)
        {
            Assert.True(store.TryGet(id, out var record), $"{id} was committed before the kill but is missing");
            AssertIntact(record);
            var request = await store.ReadBodyAsync(id, LogBodyKind.Request, default);
            var response = await store.ReadBodyAsync(id, LogBodyKind.Response, default);
            var (_, expectedRequest, expectedResponse) = CrashRows.Row(CrashRows.Number(id));
            Assert.Equal(expectedRequest, request!.Value.ToArray());
            Assert.Equal(expectedResponse, response!.Value.ToArray());
        }

        // Rows appended after the last printed commit may or may not have made it, but those that did are whole,
        // and they are a prefix of the append order (the log commits in order).
        var rows = store.Scan("crash").ToList();
        Assert.True(rows.Count >= printed.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows.Count - 1 - i, CrashRows.Number(rows[i].Id));
            AssertIntact(rows[i]);
        }
    }

    [Fact]
    public async Task AKillBeforeDuringOrAfterACheckpoint_LosesAndDuplicatesNothing()
    {
        // The host deletes rows, evicts past its cap and takes checkpoints back to back while it appends.
        var printed = new List<string>();
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        using (var host = Process.Start(HostStartInfo(_dir.Path, "checkpoints"))!)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                while (printed.Count < CommittedIdsBeforeKill || deleted.Count == 0)
                {
                    var line = await host.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException("The crash host exited: " + await host.StandardError.ReadToEndAsync(timeout.Token));
                    if (line.StartsWith("deleted ", StringComparison.Ordinal))
                    {
                        deleted.Add(line["deleted ".Length..]);
                    }
                    else
                    {
                        printed.Add(line);
                    }
                }
            }
            finally
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }
        }

        // The oracle: a copy of the folder opened with the checkpoint ignored replays the whole log.
        using var copy = new TempDirectory();
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(_dir.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await using var store = FasterLogStore.Open(_dir.Path, new FasterLogStoreOptions { DefaultMaxRowsPerGateway = CrashRows.Cap });
        await using var replayed = FasterLogStore.Open(copy.Path, new FasterLogStoreOptions { DefaultMaxRowsPerGateway = CrashRows.Cap, RecoverCheckpoint = false });
        Assert.Equal(0, store.Corrupt);
        var rows = store.Scan("crash").ToList();
        Assert.Equal(replayed.Scan("crash").ToList(), rows);
        Assert.Equal(replayed.Rows, store.Rows);
        Assert.NotEmpty(rows); // past the cap by the rows committed after the last eviction: the next commit evicts them
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        foreach (var row in rows)
        {
            AssertIntact(row);
            Assert.DoesNotContain(row.Id, deleted);
            Assert.True(store.TryGet(row.Id, out var found), row.Id);
            Assert.Equal(row, found);
        }

        foreach (var id in deleted)
        {
            Assert.False(store.TryGet(id, out _), $"{id} was deleted before the kill but is back");
        }

        // Committed rows newer than the oldest listed row are all there (older ones the cap may have taken), but for those
        // the host deletes (every seventh), whose deletion may have committed before the kill and not been printed.
        var oldest = CrashRows.Number(rows[^1].Id);
        var listed = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in printed.Where(id => CrashRows.Number(id) > oldest && CrashRows.Number(id) % 7 != 0))
        {
            Assert.Contains(id, listed);
        }

        Assert.True(store.TryAggregate(["crash"], new Gateway.Fast.LogQueries.LogAnalyticsQuery(), out var kept));
        Assert.Equal(rows.Count, kept.Sum(g => g.Requests));
    }

    private static void AssertIntact(LogRecord record) => Assert.Equal(CrashRows.Row(CrashRows.Number(record.Id)).Record, record);

    private static ProcessStartInfo HostStartInfo(string dataDirectory, string? mode = null)
    {
        // bin/{Configuration}/{tfm}/ of this project → the same folders of tests/Gateway.Fast.LogCrashHost.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!;
        var testsFolder = configuration.Parent!.Parent!.Parent!;
        var dll = Path.Combine(testsFolder.FullName, "Gateway.Fast.LogCrashHost", "bin", configuration.Name, output.Name, "Gateway.Fast.LogCrashHost.dll");
        Assert.True(File.Exists(dll), $"Build tests/Gateway.Fast.LogCrashHost first: {dll} is missing.");

        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add(dataDirectory);
        if (mode is not null)
        {
            info.ArgumentList.Add(mode);
        }

        return info;
    }
}
