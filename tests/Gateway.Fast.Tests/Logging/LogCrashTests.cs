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

    private static void AssertIntact(LogRecord record) => Assert.Equal(CrashRows.Row(CrashRows.Number(record.Id)).Record, record);

    private static ProcessStartInfo HostStartInfo(string dataDirectory)
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
        return info;
    }
}
