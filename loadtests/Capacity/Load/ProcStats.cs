using System.Globalization;

namespace Capacity.Load;

/// <summary>CPU time, resident memory and descriptor limit of another process, read from <c>/proc</c>.</summary>
internal static class ProcStats
{
    // USER_HZ, the unit of utime and stime in /proc/PID/stat, is 100 on every Linux ABI (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU time of <paramref name="pid"/> (all its threads, living and exited), or null.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        string? stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; fields count from the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>CPU time every process on the machine has used since boot (<c>/proc/stat</c>: all but idle and iowait), or null.</summary>
    public static TimeSpan? MachineBusyTime()
    {
        string? stat = TryRead("/proc/stat");
        if (stat is null || !stat.StartsWith("cpu ", StringComparison.Ordinal))
        {
            return null;
        }

        // cpu  user nice system idle iowait irq softirq steal ...
        string[] fields = stat[..stat.IndexOf('\n')].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (int i = 1; i < Math.Min(fields.Length, 9); i++)
        {
            if (i is not (4 or 5))
            {
                busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }

    /// <summary>Resident set size (<c>VmRSS</c>) in MiB, or null.</summary>
    public static double? RssMib(int pid) => ReadKiB($"/proc/{pid}/status", "VmRSS:") / 1024.0;

    /// <summary>Total memory of the machine (<c>MemTotal</c>) in GiB, or 0.</summary>
    public static double MemoryGib() => (ReadKiB("/proc/meminfo", "MemTotal:") ?? 0) / (1024.0 * 1024.0);

    /// <summary>The soft <c>Max open files</c> limit of <paramref name="pid"/>, or null.</summary>
    public static long? DescriptorLimit(int pid)
    {
        foreach (string line in TryRead($"/proc/{pid}/limits")?.Split('\n') ?? [])
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string[] parts = line[14..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(parts[0], CultureInfo.InvariantCulture, out long soft) ? soft : null;
            }
        }

        return null;
    }

    /// <summary>The first <c>model name</c> of <c>/proc/cpuinfo</c>.</summary>
    public static string CpuModel()
    {
        foreach (string line in TryRead("/proc/cpuinfo")?.Split('\n') ?? [])
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':') + 1)..].Trim();
            }
        }

        return "unknown";
    }

    /// <summary>The one-minute load average (<c>/proc/loadavg</c>'s first field), or null.</summary>
    public static double? LoadAverage() =>
        TryRead("/proc/loadavg")?.Split(' ') is [var first, ..] && double.TryParse(first, CultureInfo.InvariantCulture, out double load)
            ? load
            : null;

    /// <summary>A <c>/proc/sys</c> value such as <c>net/core/somaxconn</c>, trimmed, or null.</summary>
    public static string? Sysctl(string path) => TryRead("/proc/sys/" + path)?.Trim();

    private static double? ReadKiB(string file, string key)
    {
        foreach (string line in TryRead(file)?.Split('\n') ?? [])
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                string value = line[key.Length..].Trim();
                int space = value.IndexOf(' ');
                return double.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
