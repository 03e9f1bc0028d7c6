using System.Diagnostics;
using System.Globalization;

namespace Capacity;

/// <summary>
/// Runs the script's restart command between stream levels: it stops the servers, starts them afresh on the same ports and
/// prints one <c>process=pid</c> line for each, once they answer.
/// </summary>
internal static class ProcessRestart
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(string command, Dictionary<string, int> pids)
    {
        var start = new ProcessStartInfo("/bin/bash", ["-c", command])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run '{command}'");
        using var timeout = new CancellationTokenSource(Limit);
        string output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"restart command failed with exit code {process.ExitCode}");
        }

        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = line.IndexOf('=');
            if (eq > 0 && int.TryParse(line.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                pids[line[..eq]] = pid;
            }
        }
    }
}
