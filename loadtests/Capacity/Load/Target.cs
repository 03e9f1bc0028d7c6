using System.Text.Json.Serialization;

namespace Capacity.Load;

/// <summary>One thing to measure, as the script describes it in its targets file.</summary>
internal sealed class Target
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Url { get; init; }

    /// <summary>The process whose CPU time and memory are read for this target.</summary>
    public required int Pid { get; init; }

    /// <summary>The process that answers the target's calls (the simulator), when it is not the target's own.</summary>
    public int? UpstreamPid { get; init; }

    /// <summary>A name for that process in the report (simulator, yarp, gateway).</summary>
    public required string Process { get; init; }

    /// <summary>The upstream's name, to find its new pid after a restart between stream levels.</summary>
    public string UpstreamProcess { get; init; } = "simulator";

    /// <summary>The target's <c>/health</c>, when it reports its managed heap (the gateway): sampled beside RSS while streams are held.</summary>
    public string? HealthUrl { get; init; }

    /// <summary>The request body file, relative to the working directory.</summary>
    public required string Body { get; init; }

    public Dictionary<string, string> Headers { get; init; } = [];

    /// <summary>Also run the streams-at-scale scenario against this target (with <see cref="StreamBody"/>).</summary>
    public bool Streams { get; init; }

    public string? StreamBody { get; init; }

    /// <summary>
    /// Descriptors one held stream costs the target's process: the simulator's socket, or a proxy's two (the client's and
    /// the upstream's); one for a proxy whose upstream streams share HTTP/2 connections.
    /// </summary>
    public int? DescriptorsPerStream { get; init; }

    /// <summary>Also measure stream time to first byte against this target (closed loop, with <see cref="StreamBody"/>).</summary>
    public bool StreamTtfb { get; init; }

    /// <summary>Take part in the head-to-head rounds (plain requests; streams too where <see cref="StreamTtfb"/> is set).</summary>
    public bool HeadToHead { get; init; }

    [JsonIgnore]
    public Uri Uri => new(Url);
}
