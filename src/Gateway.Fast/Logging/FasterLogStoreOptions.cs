namespace Gateway.Fast.Logging;

/// <summary>Sizes, commit cadence and retention of <see cref="FasterLogStore"/>.</summary>
public sealed class FasterLogStoreOptions
{
    /// <summary>Cloudflare's limit of logs per gateway on its paid plan.</summary>
    public const int DefaultRowCap = 10_000_000;

    /// <summary>10 GiB: 40 segments of the default 256 MiB, so one sweep step frees 2.5 % of it. At the 150 MiB a minute
    /// measured with bodies on at full load (2 cores, ~1,900 requests/s) that is over an hour of logs; at typical rates, weeks.</summary>
    public const long DefaultDiskBudget = 10L << 30;

    private readonly Func<string, LogRetention>? _retention;
    private Func<string, LogRetention>? _effectiveRetention;

    /// <summary>Entries the hand-off queue holds before <see cref="FasterLogStore.AppendAsync"/> waits for room.</summary>
    public int QueueCapacity { get; init; } = 16_384;

    /// <summary>How often the writer commits; a row becomes readable (and survives <c>kill -9</c>) at the commit after its append.</summary>
    public int CommitIntervalMs { get; init; } = 100;

    /// <summary>How often, between two commits, the writer takes the queued rows into the log (their arrays then go back to
    /// the pool); at most <see cref="CommitIntervalMs"/>.</summary>
    public int DrainIntervalMs { get; init; } = 25;

    /// <summary>Most entries the writer takes from the queue between two checks for a due commit.</summary>
    public int MaxBatch { get; init; } = 4_096;

    /// <summary>FasterLog page size; one entry (row + both bodies) must fit in a page, a larger one keeps its row without
    /// bodies. 2^22 = 4 MiB: FasterLog allocates two pages when it opens, so 16 MiB pages (enough for a 10 MB log,
    /// Cloudflare's documented limit per log) cost 32 MiB of an idle gateway; set 24 to keep bodies that large.</summary>
    public int PageSizeBits { get; init; } = 22;

    /// <summary>FasterLog in-memory buffer (at least two pages); pages past the first two are allocated as the log reaches them
    /// and then stay. 2^23 = 8 MiB, two 4 MiB pages: the buffer fills with a burst's first rows and is never given back, and
    /// at full load even 32 MiB held under 2 s of rows with bodies, so reading an older row's bodies goes to disk (the OS's
    /// page cache) whatever the budget.</summary>
    public int MemorySizeBits { get; init; } = 23;

    /// <summary>Size of one log file on disk; retention frees whole segments.</summary>
    public int SegmentSizeBits { get; init; } = 28;

    /// <summary>FASTER KV hash table size (bytes, as a power of two) of the id index: fixed memory, 7 chains per 64 bytes;
    /// a lookup compares up to rows ÷ chains index records, from disk past <see cref="IndexMemorySizeBits"/>.</summary>
    public int IndexSizeBits { get; init; } = 20;

    /// <summary>In-memory part of the id index's hybrid log; older index records spill to <c>logs/index/</c>.</summary>
    public int IndexMemorySizeBits { get; init; } = 25;

    /// <summary>In-memory part of the row metadata store (<c>logs/meta/</c>, blocks of 256 rows' records); older blocks
    /// are read from disk. At least 2^21 (two 1 MiB pages); 2^22 = 4 MiB keeps the newest ~15,000 rows in memory (page 1 of
    /// a list reads one or two blocks), and what a long run fills is never given back: 16 MiB held ~60,000.</summary>
    public int MetadataMemorySizeBits { get; init; } = 22;

    /// <summary>In-memory part of the analytics store (<c>logs/rollup/</c>, each gateway's sums per minute and hour); older
    /// periods are read from disk. At least 2^21; 2^22 = 4 MiB holds days of minutes of a gateway with a few models.</summary>
    public int RollupMemorySizeBits { get; init; } = 22;

    /// <summary>Per-gateway row cap (the gateway's <c>log_management</c> and <c>log_management_strategy</c>); a gateway for
    /// which it sets no cap, or every gateway when it is not set, gets <see cref="DefaultMaxRowsPerGateway"/>.</summary>
    /// <remarks>Called by the writer for every row, so keep it cheap (a lookup in the current settings snapshot). The getter
    /// returns the function with the default applied.</remarks>
    public Func<string, LogRetention>? Retention
    {
        get => _effectiveRetention ??= WithDefaultCap(_retention, DefaultMaxRowsPerGateway);
        init => _retention = value;
    }

    /// <summary>Rows a gateway keeps when its own settings set no cap, the oldest deleted first; null keeps every row.</summary>
    /// <remarks>10 million is what Cloudflare's hosted product keeps per gateway, so a gateway moved here keeps as many logs as
    /// it did there; a self-hosted gateway has nobody to ask for more room, so it deletes the oldest rather than stop logging.</remarks>
    public int? DefaultMaxRowsPerGateway { get; init; } = DefaultRowCap;

    /// <summary>Disk budget of the whole log folder (log segments, commits, index); null for none. Over it, the sweep deletes
    /// the oldest rows of every gateway, by log address, until the folder fits again.</summary>
    public long? MaxDiskBytes { get; init; } = DefaultDiskBudget;

    /// <summary>Whether the writer starts a disk sweep itself once the folder passes the budget less one segment, rather than
    /// leaving it to the next <see cref="FasterLogStore.SweepAsync"/> (tests of the sweep alone turn it off).</summary>
    public bool SweepWhenFull { get; init; } = true;

    /// <summary>Share of <see cref="MaxDiskBytes"/> from which <c>/health</c> warns (<see cref="LogStorageStatus.Warning"/>).</summary>
    public double DiskWarningRatio { get; init; } = 0.8;

    /// <summary>Rows older than this are deleted by <see cref="FasterLogStore.SweepAsync"/>; null keeps them until deleted.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Whether <see cref="FasterLogStore.DisposeAsync"/> takes a last checkpoint, so the next open replays nothing.</summary>
    public bool CheckpointOnClose { get; init; } = true;

    /// <summary>Test hook: false ignores (and deletes) the checkpoint and replays the whole log, as a torn one would.</summary>
    internal bool RecoverCheckpoint { get; init; } = true;

    /// <summary>Test hook: awaited by the writer before it takes each batch from the queue.</summary>
    public Func<ValueTask>? WriterGate { get; init; }

    private static Func<string, LogRetention>? WithDefaultCap(Func<string, LogRetention>? own, int? cap)
    {
        if (cap is not int max)
        {
            return own;
        }

        var fallback = new LogRetention(max, DeleteOldest: true);
        return own is null ? _ => fallback : id => own(id) is { MaxRows: not null } set ? set : fallback;
    }
}
