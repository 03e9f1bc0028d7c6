using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>Keeps a FASTER KV's log (memory, then disk) from growing forever: when it has doubled since its last
/// compaction, copies the live records of its older half to the tail on a background task, then moves its begin address past them (the next checkpoint deletes the files below it).</summary>
/// <remarks>
/// <para>Blocks and index records are rewritten and deleted (PATCH, DELETE, retention), and FASTER only appends: without
/// this the metadata store's files grow by every row written, kept or not. Doubling keeps the copying amortised to at
/// most one copy of each live byte per doubling.</para>
/// <para>Each record of the range is copied by an RMW of its key whose input is the record's own value
/// (<see cref="LogKvCopyFunctions"/>): FASTER finds the key's latest version and copies it to the tail only when it is
/// that value and below the mutable region; a key deleted or rewritten since is left alone. RMW is FASTER's ordinary
/// read-modify-write, retried against the current hash entry when the writer's session changes the chain, so the
/// writer never waits for the compaction and a copy never overwrites a newer version. FASTER's own <c>Compact</c>
/// (2.6.5) copies through <c>ConditionalCopyToTail</c>, whose retry after a failed compare-and-swap reuses the hash
/// entry it read first: once another key of the same hash chain was written between its check and its swap, it spun
/// forever, holding a core and the store's dispose (the id index, whose chains many ids share, did so within seconds).</para>
/// <para>An RMW finds the key's latest version by walking its hash chain from the newest record, one disk read per record
/// past the memory budget. The id index's chains are long by design (rows ÷ 114,688 tags with the default table), so
/// copying a record of its oldest half cost tens of reads: after a soak at its disk budget a stopped gateway waited
/// minutes for one compaction to end, and no checkpoint can start while one runs. <paramref name="isDead"/> lets the
/// owner rule out, from the value alone, records whose key can no longer be live (an index record of a row the log has
/// truncated): those are dropped without an RMW, and after retention they are most of the range.</para>
/// <para>A store whose owner counts what dies (<see cref="Written"/>, <see cref="Deleted"/>: the id index) is compacted
/// only when at least one record in <see cref="DeadShare"/> written since the last compaction has been deleted since.
/// Under its disk budget the id index deletes nothing, so a compaction had nothing to reclaim and copied every live
/// record of the older half, each by a walk of its chain: a capacity run's gateway, 5 GB of logs into a 10 GiB budget
/// and no row deleted, spent most of both cores on it for minutes, and every request waited for a core.</para>
/// </remarks>
internal sealed class LogKvCompactor(FasterKV<SpanByte, SpanByte> kv, int pageSizeBits, long minBytes, LogKvCompactor.DeadRecord? isDead = null)
{
    /// <summary>Deleted records per written record, as 1 / this, since the last compaction that make the next worth it.</summary>
    public const int DeadShare = 4;

    /// <summary>True when a record's key has certainly no live version any more (called on the compaction's thread).</summary>
    public delegate bool DeadRecord(ref SpanByte value);

    // Copies whose record is read from disk are completed in batches of this many. Each holds a read buffer of its
    // record from FASTER's pool, which keeps the buffers for reuse: FASTER's own 256 held 16 MB of 64 KiB blocks.
    private const int MaxPending = 16;

    private readonly long _minBytes = minBytes;
    private long _threshold = minBytes;

    private long _copies;
    private long _dropped;

    // Counted by the owner's writer (the only thread that writes the store and starts compactions); -1: not counted.
    private long _written = -1;
    private long _deleted;

    /// <summary>The compaction in progress, or the last one (completed).</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>Records the compactions have checked with an RMW (tests).</summary>
    public long Copies => Interlocked.Read(ref _copies);

    /// <summary>Records the compactions have dropped as dead from their value alone (tests).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records that the owner wrote a record (writer only); from the first call on, compactions wait for deletes.</summary>
    public void Written() => _written = Math.Max(_written, 0) + 1;

    /// <summary>Records that the owner deleted <paramref name="count"/> keys (writer only), or that they died without a
    /// delete of their own: the disk budget's rows, whose records the compaction drops as truncated.</summary>
    public void Deleted(int count = 1) => _deleted += count;

    /// <summary>Starts a compaction when the log passed its threshold and none is running; writer only.</summary>
    public void StartIfGrown()
    {
        var size = kv.Log.TailAddress - kv.Log.BeginAddress;
        if (size < Volatile.Read(ref _threshold) || !Running.IsCompleted || (_written >= 0 && _deleted * DeadShare < _written))
        {
            return;
        }

        // At a page start: records never span pages, so every record below it is whole, and none is cut in two when
        // the begin address moves there (a mid-record address lost the record that straddled it).
        var until = Math.Min(kv.Log.BeginAddress + (size / 2), kv.Log.SafeReadOnlyAddress) & ~((1L << pageSizeBits) - 1);
        if (until > kv.Log.BeginAddress)
        {
            _written = _written >= 0 ? 0 : -1;
            _deleted = 0;
            Running = Task.Run(() => Compact(until));
        }
    }

    private void Compact(long until)
    {
        try
        {
            using var session = kv.For(new LogKvCopyFunctions()).NewSession<LogKvCopyFunctions>();
            var end = kv.Log.BeginAddress;
            using (var records = kv.Log.Scan(end, until))
            {
                var pending = 0;
                while (records.GetNext(out var info))
                {
                    end = records.NextAddress;
                    if (info.Tombstone)
                    {
                        continue;
                    }

                    if (isDead is not null && isDead(ref records.GetValue()))
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    Interlocked.Increment(ref _copies);
                    if (session.RMW(ref records.GetKey(), ref records.GetValue()).IsPending && ++pending >= MaxPending)
                    {
                        session.CompletePending(wait: true);
                        pending = 0;
                    }
                }
            }

            session.CompletePending(wait: true);
            // The files are not truncated here: the latest checkpoint may still need the records below the new begin
            // address (their copies at the tail are not in it). The next checkpoint records that address, then truncates.
            kv.Log.ShiftBeginAddress(end, truncateLog: false);
        }
        catch (Exception)
        {
            // A disk error: the log stays as it was and the next commit past the threshold tries again.
            return;
        }

        Volatile.Write(ref _threshold, Math.Max(_minBytes, 2 * (kv.Log.TailAddress - kv.Log.BeginAddress)));
    }
}
