using Gateway.Fast.Caching;

namespace Gateway.Fast.Hosting;

/// <summary>The <c>memory</c> section of <c>/health</c>: where the process's memory is, in bytes.</summary>
/// <param name="ResidentBytes">What the kernel counts for the process (<c>VmRSS</c>); null off Linux.</param>
/// <param name="ManagedHeapBytes">The managed heap after the last collection, fragmentation included.</param>
/// <param name="GcCommittedBytes">Memory the GC holds from the OS: the heap plus what it keeps for the next allocations.</param>
/// <param name="CacheBytes">The response cache's in-memory pages and index.</param>
public sealed record MemoryHealth(long? ResidentBytes, long ManagedHeapBytes, long GcCommittedBytes, long CacheBytes);

/// <summary>The <c>descriptors</c> section of <c>/health</c>: descriptors open against the soft limit (<c>ulimit -n</c>).</summary>
public sealed record DescriptorHealth(int? Open, long? Limit);

/// <summary>Reads both sections; cheap enough for every <c>/health</c> and scrape (no collection is triggered).</summary>
internal static class ResourceHealth
{
    public static MemoryHealth Memory(ICacheStore cache)
    {
        var gc = GC.GetGCMemoryInfo();
        return new MemoryHealth(ProcessResources.ResidentBytes(), gc.HeapSizeBytes, gc.TotalCommittedBytes, cache.MemoryBytes);
    }

    public static DescriptorHealth Descriptors() => new(ProcessResources.OpenDescriptors(), ProcessResources.DescriptorLimit());
}
