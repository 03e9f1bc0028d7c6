namespace Gateway.Fast.Logging;

/// <summary>Sizes, commit cadence and retention of <see cref="FasterLogStore"/>.</summary>
public sealed class FasterLogStoreOptions
{
    /// <summary>Entries the hand-off queue holds before <see cref="FasterLogStore.AppendAsync"/> waits for room.</summary>
    public int QueueCapacity { get; init; } = 16_384;

    /// <summary>How often the writer commits; a row becomes readable (and survives <c>kill -9</c>) at the commit after its append.</summary>
    public int CommitIntervalMs { get; init; } = 100;

    /// <summary>Most entries the writer takes from the queue between two checks for a due commit.</summary>
    public int MaxBatch { get; init; } = 4_096;

    /// <summary>FasterLog page size; one entry (row + both bodies) must fit in a page. 2^24 = 16 MiB holds a 10 MB log, Cloudflare's documented limit per log.</summary>
    public int PageSizeBits { get; init; } = 24;

    /// <summary>FasterLog in-memory buffer (at least two pages).</summary>
    public int MemorySizeBits { get; init; } = 26;

    /// <summary>Size of one log file on disk; retention frees whole segments.</summary>
    public int SegmentSizeBits { get; init; } = 28;

    /// <summary>FASTER KV hash index size (bytes, as a power of two) of the id index.</summary>
    public int IndexSizeBits { get; init; } = 20;

    /// <summary>In-memory part of the id index's hybrid log; older index records spill to <c>logs/index/</c>.</summary>
    public int IndexMemorySizeBits { get; init; } = 25;

    /// <summary>In-memory part of the row metadata store (<c>logs/meta/</c>, blocks of 256 rows' records); older blocks
    /// are read from disk. At least 2^21 (two 1 MiB pages); 2^24 = 16 MiB keeps the newest ~60,000 rows in memory.</summary>
    public int MetadataMemorySizeBits { get; init; } = 24;

    /// <summary>Per-gateway row cap (the gateway's <c>log_management</c> and <c>log_management_strategy</c>); null means unlimited.</summary>
    /// <remarks>Called by the writer for every row, so keep it cheap (a lookup in the current settings snapshot).</remarks>
    public Func<string, LogRetention>? Retention { get; init; }

    /// <summary>Rows older than this are deleted by <see cref="FasterLogStore.SweepAsync"/>; null keeps them until deleted.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Test hook: awaited by the writer before it takes each batch from the queue.</summary>
    public Func<ValueTask>? WriterGate { get; init; }
}
