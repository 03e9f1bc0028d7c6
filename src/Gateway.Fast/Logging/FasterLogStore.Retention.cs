namespace Gateway.Fast.Logging;

/// <summary>Retention (row caps and age) and the log plumbing it shares with the writer.</summary>
public sealed partial class FasterLogStore
{
    /// <summary>After a commit: trims gateways that went over a <c>DELETE_OLDEST</c> cap with the rows just committed.</summary>
    private async ValueTask EnforceCapsAsync()
    {
        if (_options.Retention is not { } retention || _touched.Count == 0)
        {
            _touched.Clear();
            return;
        }

        List<string>? evicted = null;
        foreach (var rows in _touched)
        {
            if (retention(rows.Id) is { MaxRows: { } max, DeleteOldest: true } && rows.Count > max)
            {
                evicted ??= [];
                foreach (var record in rows.Oldest(rows.Count - Math.Max(max, 0)))
                {
                    if (ApplyDelete(record.Id))
                    {
                        evicted.Add(record.Id);
                    }
                }
            }
        }

        _touched.Clear();
        if (evicted is { Count: > 0 })
        {
            Interlocked.Add(ref _evicted, evicted.Count);
            await WriteTombstonesAsync(evicted).ConfigureAwait(false); // committed with the next batch
        }
    }

    /// <summary>Removes rows older than <see cref="FasterLogStoreOptions.MaxAge"/> and rows over a <c>DELETE_OLDEST</c> cap; returns their ids.</summary>
    private List<string> Sweep(long nowUnixMs)
    {
        var swept = new List<string>();
        foreach (var rows in Volatile.Read(ref _gatewaysByIndex))
        {
            if (_options.MaxAge is { } maxAge)
            {
                RemoveAll(rows.CreatedBefore(nowUnixMs - (long)maxAge.TotalMilliseconds), swept);
            }

            if (_options.Retention?.Invoke(rows.Id) is { MaxRows: { } max, DeleteOldest: true } && rows.Count > max)
            {
                RemoveAll(rows.Oldest(rows.Count - Math.Max(max, 0)), swept);
            }
        }

        return swept;

        void RemoveAll(List<LogRecord> victims, List<string> removed)
        {
            foreach (var record in victims)
            {
                if (ApplyDelete(record.Id))
                {
                    removed.Add(record.Id);
                }
            }
        }
    }

    /// <summary>Appends Delete entries for rows already removed from memory, moves the log's begin address past
    /// everything no live row needs, and commits both.</summary>
    private async ValueTask WriteTombstonesAsync(List<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        for (var start = 0; start < ids.Count; start += TombstoneChunk)
        {
            _buffer.ResetWrittenCount();
            LogRecordCodec.WriteDelete(_buffer, ids.GetRange(start, Math.Min(TombstoneChunk, ids.Count - start)));
            await EnqueueAsync().ConfigureAwait(false);
        }

        MarkDirty();
        TruncateBelowOldestRow();
        if (!await CommitAsync().ConfigureAwait(false))
        {
            throw new IOException("The request log could not commit the deletion.");
        }
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
            _log.TruncateUntil(oldest);
        }
    }

    private ValueTask<long> EnqueueAsync()
    {
        if (_log.TryEnqueue(_buffer.WrittenSpan, out var address))
        {
            return new(address);
        }

        return _log.EnqueueAsync(_buffer.WrittenMemory);
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
