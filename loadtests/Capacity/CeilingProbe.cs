using Capacity.Load;
using Capacity.Model;

namespace Capacity;

/// <summary>
/// How many held streams each process of the streams scenario can take on its own: its open-file limit over the descriptors
/// one stream costs it (the client and the simulator one socket each; a proxy two, the client's and the upstream's, or one
/// where its upstream streams share HTTP/2 connections).
/// </summary>
internal static class CeilingProbe
{
    // Descriptors a .NET server holds besides its sockets (assemblies, the epoll set, log files, FASTER segments).
    private const int Reserve = 200;

    public static List<Ceiling> Describe(IEnumerable<(string Process, int Pid, int PerStream)> processes)
    {
        string ports = ProcStats.Sysctl("net/ipv4/ip_local_port_range") is { } range ? string.Join('–', range.Split('\t', ' ')) : "?";
        string backlog = ProcStats.Sysctl("net/core/somaxconn") ?? "?";
        var ceilings = new List<Ceiling>
        {
            Describe("load client (this tool)", Environment.ProcessId, 1,
                $"one socket per stream; ephemeral ports {ports} bound the connections to one address"),
        };
        foreach (var (process, pid, perStream) in processes)
        {
            ceilings.Add(Describe(process, pid, perStream, $"{Sockets(process, perStream)}; listen backlog 4096 (somaxconn {backlog})"));
        }

        return ceilings;
    }

    /// <summary>What a held stream's descriptors are, for the table's note.</summary>
    internal static string Sockets(string process, int perStream) => (process, perStream) switch
    {
        (_, 2) => "the client's socket and the upstream's per stream",
        ("simulator", _) => "one socket per stream",
        _ => "the client's socket per stream; upstream streams share HTTP/2 connections (100 each)",
    };

    private static Ceiling Describe(string process, int pid, int perStream, string note)
    {
        long? limit = ProcStats.DescriptorLimit(pid);
        return new Ceiling
        {
            Process = process,
            DescriptorLimit = limit,
            DescriptorsPerStream = perStream,
            MaxStreams = limit is { } l ? Math.Max(0, (l - Reserve) / perStream) : null,
            Note = note,
        };
    }
}
