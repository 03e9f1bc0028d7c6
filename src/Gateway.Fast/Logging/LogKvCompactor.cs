using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>Keeps a FASTER KV's log (memory, then disk) from growing forever: when it has doubled since its last
/// compaction, copies the live records of its older half to the tail on a background task, then truncates the files.</summary>
/// <remarks>
/// Blocks and index records are rewritten and deleted (PATCH, DELETE, retention), and FASTER only appends: without this
/// the metadata store's files grow by every row ever written, kept or not. Doubling keeps the copying amortised to
/// at most one copy of each live byte per doubling. <see cref="CompactionType.Lookup"/> checks liveness through the hash
/// index, so it holds no copy of the range in memory. The task has its own session; FASTER lets compaction run beside
/// the writer's upserts (a record copied to the tail never overwrites a newer one), so the writer never waits for it.
/// </remarks>
internal sealed class LogKvCompactor<TOutput, TFunctions>(FasterKV<SpanByte, SpanByte> kv, int pageSizeBits, long minBytes)
    where TFunctions : SpanByteFunctions<SpanByte, TOutput, Empty>, new()
{
    private readonly long _minBytes = minBytes;
    private long _threshold = minBytes;

    /// <summary>The compaction in progress, or the last one (completed).</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>Starts a compaction when the log passed its threshold and none is running; writer only.</summary>
    public void StartIfGrown()
    {
        var size = kv.Log.TailAddress - kv.Log.BeginAddress;
        if (size < Volatile.Read(ref _threshold) || !Running.IsCompleted)
        {
            return;
        }

        // At a page start: records never span pages, so every record below it is whole, and none is cut in two when
        // the begin address moves there (a mid-record address lost the record that straddled it).
        var until = Math.Min(kv.Log.BeginAddress + (size / 2), kv.Log.SafeReadOnlyAddress) & ~((1L << pageSizeBits) - 1);
        if (until > kv.Log.BeginAddress)
        {
            Running = Task.Run(() => Compact(until));
        }
    }

    private void Compact(long until)
    {
        try
        {
            using var session = kv.For(new TFunctions()).NewSession<TFunctions>();
            session.Compact(until, CompactionType.Lookup);
            kv.Log.Truncate();
        }
        catch (Exception)
        {
            // A disk error: the log stays as it was and the next commit past the threshold tries again.
            return;
        }

        Volatile.Write(ref _threshold, Math.Max(_minBytes, 2 * (kv.Log.TailAddress - kv.Log.BeginAddress)));
    }
}
