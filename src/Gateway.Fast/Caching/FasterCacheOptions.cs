namespace Gateway.Fast.Caching;

/// <summary>Sizes of the embedded cache store (<c>Gateway:Cache</c>); defaults keep 64 MiB in memory and up to 8 GiB on disk.</summary>
public sealed class FasterCacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>Log page size as a power of two. A record must fit in one page, so the 32 MiB default is what lets a
    /// <see cref="CacheRecorder.DefaultMaxEntryBytes"/> (25 MiB) entry be stored.</summary>
    public int PageSizeBits { get; set; } = 25;

    /// <summary>In-memory part of the hybrid log as a power of two (at least two pages); older records spill to disk.</summary>
    public int MemorySizeBits { get; set; } = 26;

    /// <summary>Size of one log file on disk as a power of two.</summary>
    public int SegmentSizeBits { get; set; } = 30;

    /// <summary>Hash index size in bytes as a power of two; 16 MiB is 262,144 buckets of 7 entries, about 1.8 M live keys before chaining.</summary>
    public int IndexSizeBits { get; set; } = 24;

    /// <summary>Disk budget of the log; at each checkpoint, records past it (the oldest) are truncated away.</summary>
    public long MaxLogBytes { get; set; } = 8L << 30;

    /// <summary>Largest entry stored; capped at the page size less the record overhead.</summary>
    public int MaxEntryBytes { get; set; } = CacheRecorder.DefaultMaxEntryBytes;
}
