namespace Capacity.Model;

/// <summary>How many held streams one process can take before its descriptor limit, and why.</summary>
internal sealed class Ceiling
{
    public required string Process { get; init; }

    /// <summary>The process's soft <c>Max open files</c>, read from <c>/proc/PID/limits</c>; null when unreadable.</summary>
    public required long? DescriptorLimit { get; init; }

    public required int DescriptorsPerStream { get; init; }

    public required long? MaxStreams { get; init; }

    public required string Note { get; init; }
}
