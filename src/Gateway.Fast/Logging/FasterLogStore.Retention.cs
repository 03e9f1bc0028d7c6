namespace Gateway.Fast.Logging;

/// <summary>Retention (row caps, age, and the disk budget's steps) and the log plumbing it shares with the writer.</summary>
public sealed partial class FasterLogStore
{
    private readonly LogIdList _evicting = new();
    private readonly List<long> _victims = [];

    /// <summary>After a commit: trims gateways that went over a <c>DELETE_OLDEST</c> cap with the rows just committed.</summary>
    private async ValueTask EnforceCapsAsync()
    {
        StartDiskSweepIfFull();
        if (_options.Retention is not { } retention || _touched.Count == 0)
        {
            _touched.Clear();
            return;
        }

        _evicting.Clear();
        foreach (var rows in _touched)
        {
            if (retention(rows.Id) is { MaxRows: { } max, DeleteOldest: true } && rows.Count > max)
            {
                Evict(rows, rows.Count - Math.Max(max, 0), _evicting);
            }
        }

        _touched.Clear();
        if (_evicting.Count > 0)
        {
            Interlocked.Add(ref _evicted, _evicting.Count);
            await WriteTombstonesAsync(_evicting).ConfigureAwait(false); // committed with the next batch
            _evicting.Clear();
        }
    }

    /// <summary>Removes rows older than <see cref="FasterLogStoreOptions.MaxAge"/>, rows over a <c>DELETE_OLDEST</c> cap and,
    /// when the folder is over its disk budget, the rows of the oldest segment. The ids of the first two go to
    /// <paramref name="removed"/> (for their tombstones); returns how many rows the disk step deleted.</summary>
    private int Sweep(long nowUnixMs, LogIdList removed)
    {
        foreach (var rows in Volatile.Read(ref _gatewaysByIndex))
        {
            if (_options.MaxAge is { } maxAge && nowUnixMs != DiskStepOnly)
            {
                _victims.Clear();
                rows.CreatedBefore(nowUnixMs - (long)maxAge.TotalMilliseconds, _victims);
                RemoveVictims(rows, removed);
            }

            if (_options.Retention?.Invoke(rows.Id) is { MaxRows: { } max, DeleteOldest: true } && rows.Count > max)
            {
                Evict(rows, rows.Count - Math.Max(max, 0), removed);
            }
        }

        return TrimOldestSegment(measure: removed.Count == 0);
    }

    /// <summary>Removes the <paramref name="count"/> oldest rows of a gateway.</summary>
    private void Evict(GatewayRows rows, int count, LogIdList removed)
    {
        _victims.Clear();
        rows.Oldest(count, _victims);
        RemoveVictims(rows, removed);
    }

    private void RemoveVictims(GatewayRows rows, LogIdList removed)
    {
        foreach (var address in _victims)
        {
            if (rows.TryGetId(address, out var id))
            {
                removed.Add(id, address);
                IndexDelete(id);
                rows.Remove(address);
            }
        }

        _victims.Clear();
    }

    /// <summary>Appends Delete entries for rows already removed from memory, moves the log's begin address past
    /// everything no live row needs, and commits both.</summary>
    private async ValueTask WriteTombstonesAsync(LogIdList ids)
    {
        if (ids.Count == 0 && !_truncationDue)
        {
            return;
        }

        for (var start = 0; start < ids.Count;)
        {
            var count = TombstoneCount(ids, start);
            _buffer.ResetWrittenCount();
            LogRecordCodec.WriteDelete(_buffer, ids, start, count);
            await EnqueueAsync(_buffer.WrittenMemory).ConfigureAwait(false);
            start += count;
        }

        MarkDirty();
        TruncateBelowOldestRow();
        _truncationDue = false;
        if (!await CommitAsync().ConfigureAwait(false))
        {
            throw new IOException("The request log could not commit the deletion.");
        }

        DeleteTruncatedSegments();
    }

    /// <summary>How many ids from <paramref name="start"/> one tombstone takes: at most <see cref="TombstoneChunk"/>, and no
    /// more than fit in a page (a 64 KiB page holds ~1,700 ULIDs with their addresses).</summary>
    private int TombstoneCount(LogIdList ids, int start)
    {
        var count = 1; // an id alone is far below the smallest page (4 KiB): Kestrel caps what becomes an id
        while (start + count < ids.Count && count < TombstoneChunk && LogRecordCodec.DeleteSize(ids, start, count + 1) <= _maxEntryBytes)
        {
            count++;
        }

        return count;
    }

    /// <summary>Truncates the log below the oldest row still live or pending; the truncation is persisted by the next commit.</summary>
    /// <remarks>Update and Delete entries below that point only concern rows that are gone, so replay does not need them.</remarks>
    private void TruncateBelowOldestRow()
    {
        // Never past the commit point: what lies beyond it is not flushed yet.
        var oldest = _log.CommittedUntilAddress;
        foreach (var rows in Volatile.Read(ref _gatewaysByIndex))
        {
            oldest = Math.Min(oldest, rows.OldestAddress());
        }

        if (_pending.Count > 0)
        {
            oldest = Math.Min(oldest, _pending[0].Address);
        }

        if (oldest > _log.BeginAddress)
        {
            ShiftBeginAddress(oldest);
        }
    }

    /// <summary>Appends one entry; <paramref name="entry"/> must stay untouched until the returned task completes.</summary>
    private ValueTask<long> EnqueueAsync(ReadOnlyMemory<byte> entry)
    {
        if (_log.TryEnqueue(entry.Span, out var address))
        {
            return new(address);
        }

        return _log.EnqueueAsync(entry);
    }

    private void MarkDirty()
    {
        if (!_dirty)
        {
            _dirty = true;
            _dirtySince = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }
}
