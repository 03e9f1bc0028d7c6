using System.IO.Enumeration;

namespace Gateway.Fast.Hosting;

/// <summary>The process's resident memory and descriptors as the kernel counts them (<c>/proc/self</c>); null off Linux.</summary>
/// <remarks>Read on demand by <c>/health</c> and <c>/metrics</c>: one small file read each, and a walk of <c>/proc/self/fd</c>
/// that allocates nothing per descriptor.</remarks>
internal static class ProcessResources
{
    private const string Status = "/proc/self/status";
    private const string Descriptors = "/proc/self/fd";
    private const string Limits = "/proc/self/limits";

    /// <summary>Resident set size in bytes (<c>VmRSS</c>), or null where <c>/proc</c> is absent.</summary>
    public static long? ResidentBytes() => ReadKib(Status, "VmRSS:") is { } kib ? kib * 1024 : null;

    /// <summary>Descriptors open now, or null where <c>/proc</c> is absent.</summary>
    public static int? OpenDescriptors()
    {
        if (!Directory.Exists(Descriptors))
        {
            return null;
        }

        try
        {
            var entries = new FileSystemEnumerable<byte>(Descriptors, static (ref FileSystemEntry _) => 0);
            int count = 0;
            foreach (var _ in entries)
            {
                count++;
            }

            return count - 1; // the enumeration's own descriptor
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The soft limit on open descriptors (<c>RLIMIT_NOFILE</c>), or null where unknown or unlimited.</summary>
    public static long? DescriptorLimit()
    {
        try
        {
            foreach (var line in File.ReadLines(Limits))
            {
                // "Max open files            20000                20000                files"
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line.AsSpan("Max open files".Length).Trim();
                    int end = fields.IndexOf(' ');
                    return long.TryParse(end < 0 ? fields : fields[..end], out long soft) ? soft : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static long? ReadKib(string path, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var value = line.AsSpan(field.Length).Trim();
                    int end = value.IndexOf(' ');
                    return long.TryParse(end < 0 ? value : value[..end], out long kib) ? kib : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
