using System.Runtime.InteropServices;
using Capacity.Load;
using Capacity.Model;

namespace Capacity;

/// <summary>Describes this machine for the report: cores, CPU model, memory, OS and .NET.</summary>
internal static class MachineProbe
{
    public static MachineInfo Describe(string commit) => new()
    {
        Cores = Environment.ProcessorCount,
        CpuModel = ProcStats.CpuModel(),
        MemoryGib = Math.Round(ProcStats.MemoryGib(), 1),
        Os = OsName(),
        Dotnet = RuntimeInformation.FrameworkDescription,
        Commit = commit,
        LoadAverage = ProcStats.LoadAverage(),
    };

    private static string OsName()
    {
        try
        {
            foreach (string line in File.ReadAllLines("/etc/os-release"))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                {
                    return $"{line[12..].Trim('"')} (kernel {Environment.OSVersion.Version})";
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.OSDescription;
    }
}
