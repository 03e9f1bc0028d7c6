using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace Gateway.Fast.Logging;

/// <summary>The single writer: drains the queue, appends entries, commits on a cadence, applies retention.</summary>
public sealed partial class FasterLogStore
{
    // A tombstone entry lists at most this many ids (~160 KiB of ULIDs and addresses), and no more than fit in a page.
    private const int TombstoneChunk = 4_096;

    private readonly List<PendingRow> _pending = [];
    private readonly ArrayBufferWriter<byte> _pendingRecords = new(64 * 1024);
    private readonly LogIdList _doomed = new();
    private readonly HashSet<GatewayRows> _touched = [];
    private bool _dirty;
    private long _dirtySince;

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var interval = TimeSpan.FromMilliseconds(_options.CommitIntervalMs);
        var drain = TimeSpan.FromMilliseconds(Math.Min(_options.DrainIntervalMs, _options.CommitIntervalMs));
        var open = true;
        while (open || _dirty)
        {
            if (open)
            {
                // :: Step 1: with nothing uncommitted, wait for the next entry. With rows waiting for their commit, sleep
                // until it is due, or for the drain interval if that comes first, and take everything that arrived
                // meanwhile: a few wake-ups per commit interval instead of one (with a timer) per row, which under wrk
                // cost the request threads of a 2-core machine. The shorter drain gives the rows' pooled arrays back
                // within milliseconds: held for a whole interval, up to a thousand rows at c=32 outgrew the pool and
                // every further row allocated a new array that lived long enough to be promoted.
                if (_dirty)
                {
                    var remaining = interval - Stopwatch.GetElapsedTime(_dirtySince);
                    if (remaining > TimeSpan.Zero)
                    {
                        await Task.Delay(remaining < drain ? remaining : drain).ConfigureAwait(false);
                    }
                }
                else
                {
                    open = await reader.WaitToReadAsync().ConfigureAwait(false);
                }

                // :: Step 2: take a batch and append it.
                if (open)
                {
                    await DrainAsync(reader).ConfigureAwait(false);
                    open = !reader.Completion.IsCompleted;
                }
            }

            // :: Step 3: commit when due or when closing (FlushAsync commits in HandleRequestAsync).
            if (_dirty && (!open || Stopwatch.GetElapsedTime(_dirtySince) >= interval)
                && !await CommitAsync().ConfigureAwait(false) && !open)
            {
                Interlocked.Add(ref _failed, _pending.Count); // closing and the disk refuses: nothing more to try
                break;
            }
        }
    }

    private async ValueTask DrainAsync(ChannelReader<LogCommand> reader)
    {
        if (_options.WriterGate is { } gate)
        {
            await gate().ConfigureAwait(false);
        }

        for (var taken = 0; taken < _options.MaxBatch && reader.TryRead(out var command); taken++)
        {
            try
            {
                if (command.Kind == LogCommandKind.Append)
                {
                    await AppendRowAsync(command.Row).ConfigureAwait(false);
                }
                else
                {
                    await HandleRequestAsync((LogRequest)command.State!).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                if (command.State is LogRequest request)
                {
                    request.Fail(exception);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }
    }

    private async ValueTask AppendRowAsync(LogRowBuffer row)
    {
        try
        {
            if (string.IsNullOrEmpty(row.GatewayId) || !LogRecordCodec.TryReadHead(LogRecordCodec.RecordOfRow(row.Entry), out _, out _))
            {
                Interlocked.Increment(ref _failed);
                return;
            }

            var rows = GetOrAddGateway(row.GatewayId);
            if (_options.Retention is { } retention && retention(row.GatewayId) is { MaxRows: { } max, DeleteOldest: false }
                && rows.Count + rows.Pending >= max)
            {
                Interlocked.Increment(ref _refused); // STOP_INSERTING: the request succeeds, its row is not kept
                return;
            }

            ReadOnlyMemory<byte> entry = row.Buffer.AsMemory(0, row.Length);
            if (row.Length > _maxEntryBytes)
            {
                // Larger than a page: keep the row, drop its bodies (raise PageSizeBits to keep bigger ones).
                var kept = LogRecordCodec.ReadRecord(LogRecordCodec.RecordOfRow(row.Entry), LogRecordCodec.Version)!;
                var fields = LogRowFields.From(kept with { BodiesKept = false });
                _buffer.ResetWrittenCount();
                _buffer.Advance(LogRecordCodec.WriteRow(_buffer.GetSpan(LogRecordCodec.MaxRowSize(in fields, 0, 0)), in fields, default, default));
                entry = _buffer.WrittenMemory;
            }

            var address = await EnqueueAsync(entry).ConfigureAwait(false);
            var record = LogRecordCodec.RecordOfRow(entry.Span);

            // The record (not the bodies) waits here for the commit that makes it readable.
            var offset = _pendingRecords.WrittenCount;
            _pendingRecords.Write(record);
            _pending.Add(new PendingRow(address, offset, record.Length, rows));
            rows.Pending++;
            _touched.Add(rows);
            Interlocked.Increment(ref _appended);
            MarkDirty();
        }
        finally
        {
            row.Return();
        }
    }

    private async ValueTask HandleRequestAsync(LogRequest request)
    {
        // Cold-path requests see every row appended before them: commit those first.
        if (_dirty && !await CommitAsync().ConfigureAwait(false))
        {
            throw new IOException("The request log could not commit.");
        }

        switch (request)
        {
            case LogRequest<bool> { Kind: LogCommandKind.Checkpoint } checkpoint:
                _blocks.Flush(); // the KVs hold every committed change before their checkpoint starts
                _rollup.Flush();
                checkpoint.Completion.TrySetResult(await BeginCheckpointAsync().ConfigureAwait(false));
                break;
            case LogRequest<bool> flush:
                flush.Completion.TrySetResult(true);
                break;
            case LogRequest<LogRecord?> update:
                update.Completion.TrySetResult(await UpdateRowAsync(update.Id!, update.Change!).ConfigureAwait(false));
                break;
            case LogRequest<int> { Kind: LogCommandKind.Delete } delete:
                _doomed.Clear();
                foreach (var id in delete.Ids!)
                {
                    if (ApplyDelete(id, out var address))
                    {
                        _doomed.Add(id, address);
                    }
                }

                await WriteTombstonesAsync(_doomed).ConfigureAwait(false);
                delete.Completion.TrySetResult(_doomed.Count);
                break;
            case LogRequest<int> { Kind: LogCommandKind.Sweep } sweep:
                _doomed.Clear();
                var trimmed = Sweep(sweep.NowUnixMs, _doomed);
                await WriteTombstonesAsync(_doomed).ConfigureAwait(false);
                Interlocked.Add(ref _evicted, _doomed.Count + trimmed);
                sweep.Completion.TrySetResult(_doomed.Count + trimmed);
                break;
        }

        _blocks.Flush();
        _rollup.Flush();
    }

    private async ValueTask<LogRecord?> UpdateRowAsync(string id, Func<LogRecord, LogRecord> change)
    {
        if (!TryFind(_writerSession, id, out var pointer, out var rows, out var current))
        {
            return null;
        }

        var next = change(current) with { Id = current.Id, GatewayId = current.GatewayId };
        var fields = LogRowFields.From(next);
        _buffer.ResetWrittenCount();
        _buffer.Advance(LogRecordCodec.WriteUpdate(_buffer.GetSpan(LogRecordCodec.MaxUpdateSize(in fields)), in fields));
        await EnqueueAsync(_buffer.WrittenMemory).ConfigureAwait(false);
        var record = new byte[LogRecordCodec.MaxRecordSize(in fields)];
        var length = LogRecordCodec.WriteRecord(record, in fields);
        MarkDirty();
        if (!await CommitAsync().ConfigureAwait(false))
        {
            throw new IOException("The request log could not commit the update.");
        }

        // The writer alone changes rows and nothing was appended since the lookup above (HandleRequestAsync committed
        // first), so the pointer found is still the row's: no second lookup.
        rows.Replace(pointer.BodyAddress, record.AsSpan(0, length));
        return next;
    }

    /// <summary>Commits the log, then makes the pending rows readable and applies <c>DELETE_OLDEST</c> caps.</summary>
    private async ValueTask<bool> CommitAsync()
    {
        try
        {
            await _log.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            _dirtySince = Stopwatch.GetTimestamp(); // retry at the next interval
            return false;
        }

        _dirty = false;
        foreach (var row in _pending)
        {
            row.Rows.Pending--;
            ApplyRow(row.Address, _pendingRecords.WrittenSpan.Slice(row.Offset, row.Length), row.Rows);
        }

        Interlocked.Add(ref _committed, _pending.Count);
        _pending.Clear();
        _pendingRecords.ResetWrittenCount();
        await EnforceCapsAsync().ConfigureAwait(false);
        _blocks.Flush(); // blocks changed by the caps (and their sums) are written back before readers look again
        _rollup.Flush();
        if (_checkpoint.IsCompleted)
        {
            _blocks.CompactIfGrown();
            _rollup.CompactIfGrown();
            _indexCompactor.StartIfGrown();
        }

        return true;
    }
}
