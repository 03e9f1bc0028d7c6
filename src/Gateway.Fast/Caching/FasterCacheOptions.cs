namespace Gateway.Fast.Caching;

/// <summary>Sizes of the embedded cache store (<c>Gateway:Cache</c>); defaults keep up to 64 MiB in memory and up to 8 GiB on disk.</summary>
/// <remarks>FASTER allocates the first two pages and the whole index when the store opens, and further pages only as the
/// log grows; the defaults keep that opening cost at 12 MiB (it was 80 MiB with 32 MiB pages and a 16 MiB index).</remarks>
public sealed class FasterCacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>Log page size as a power of two. A record must fit in one page, so the 4 MiB default caches responses up
    /// to about 4 MiB; 25 lets a <see cref="CacheRecorder.DefaultMaxEntryBytes"/> (25 MiB) entry be stored, at 64 MiB of
    /// memory taken when the store opens.</summary>
    public int PageSizeBits { get; set; } = 22;

    /// <summary>In-memory part of the hybrid log as a power of two (at least two pages), allocated page by page as entries
    /// arrive; older records spill to disk.</summary>
    public int MemorySizeBits { get; set; } = 26;

    /// <summary>Size of one log file on disk as a power of two.</summary>
    public int SegmentSizeBits { get; set; } = 30;

    /// <summary>Hash index size in bytes as a power of two, allocated whole at start and written whole by each checkpoint;
    /// 4 MiB is 65,536 buckets of 7 entries, about 450,000 live keys before lookups start to follow overflow buckets.</summary>
    public int IndexSizeBits { get; set; } = 22;

    /// <summary>Disk budget of the log; at each checkpoint, records past it (the oldest) are truncated away.</summary>
    public long MaxLogBytes { get; set; } = 8L << 30;

    /// <summary>Largest entry stored; capped at the page size less the record overhead.</summary>
    public int MaxEntryBytes { get; set; } = CacheRecorder.DefaultMaxEntryBytes;

    /// <summary>Test hook: called once a checkpoint has started and before it is awaited, on the checkpointing thread.</summary>
    internal Func<ValueTask>? CheckpointStarted { get; set; }
}
