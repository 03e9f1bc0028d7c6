using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>Checkpoints: the state rebuilt from the log (id index, row blocks, analytics, the gateways' block tables) saved
/// as of a log address, so that opening replays only the log past it.</summary>
/// <remarks>
/// <para>A checkpoint is taken by the writer between two steps, when every committed entry has been applied and nothing
/// is pending, so the state describes exactly the log below its address. The writer starts a fold-over checkpoint of
/// each KV (tagged with the sequence number and the address, <see cref="LogKvCheckpoint"/>), copies the gateways' block
/// tables (about 0.3 B a row), and waits only until the three KVs have switched to their next version (FASTER's CPR: an
/// operation after the switch is not in the checkpoint; the switch writes the hash tables, a few MiB, and takes
/// milliseconds). Writing the pages to disk then runs on a background task while the writer goes on.</para>
/// <para>Opening recovers each KV's latest checkpoint and the gateways' file, and uses them only when all four name the
/// same checkpoint of this format and the log still holds everything up to its address; otherwise (a crash between the
/// KVs' checkpoints, a torn file, an older version) it deletes them and replays the whole log, as before checkpoints.
/// Rows the checkpoint holds below the log's begin address were deleted after it (truncation only passes deleted rows, and
/// may have taken their tombstones with it): they are dropped before the tail is replayed.</para>
/// <para>No compaction runs during a checkpoint (one in progress postpones it; none starts until it ends), since a
/// compaction moves a KV's begin address past records whose copies the checkpoint may not hold. The files below a KV's begin
/// address are deleted once a checkpoint past it is on disk.</para>
/// </remarks>
public sealed partial class FasterLogStore
{
    private Task _checkpoint = Task.CompletedTask;
    private long _checkpointSequence;
    private long _checkpointAddress = -1;

    /// <summary>The log address the open replayed from: the begin address after a full replay, a checkpoint's address after a
    /// recovery (tests, the open-time figures).</summary>
    internal long ReplayedFrom { get; private set; }

    /// <summary>The log address the latest checkpoint on disk covers; -1 when there is none.</summary>
    internal long CheckpointAddress => Volatile.Read(ref _checkpointAddress);

    private string CheckpointDirectory => Path.Combine(_directory, "checkpoint");

    /// <summary>Saves the store's state as of the last commit, so the next open replays only the log written after it.
    /// Completes once the checkpoint is on disk: true, or false when it was not taken now (a compaction or another
    /// checkpoint in progress; the next one will be).</summary>
    /// <remarks>Goes through the writer's queue like a flush; the writer itself waits only for the KVs' version switch.</remarks>
    public async ValueTask<bool> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var request = new LogRequest<bool>(LogCommandKind.Checkpoint);
        await _queue.Writer.WriteAsync(LogCommand.Request(request), cancellationToken).ConfigureAwait(false);
        var started = await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return started && await WaitCheckpointAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the KVs from the latest checkpoint when it is usable, or empty; returns where the replay starts.</summary>
    [MemberNotNull(nameof(_indexSettings), nameof(_index), nameof(_writerSession), nameof(_blocks), nameof(_rollup), nameof(_indexCompactor))]
    private long OpenStores()
    {
        if (_options.RecoverCheckpoint && Directory.Exists(CheckpointDirectory))
        {
            var indexCookie = OpenKvs(recover: true);
            if (TryRestore(indexCookie, out var from))
            {
                return ReplayedFrom = from;
            }

            CloseKvs();
        }

        if (Directory.Exists(CheckpointDirectory))
        {
            Directory.Delete(CheckpointDirectory, recursive: true);
        }

        OpenKvs(recover: false);
        return ReplayedFrom = _log.BeginAddress;
    }

    /// <summary>Opens the three KVs, recovering their latest checkpoints or deleting their folders; returns the index's cookie.</summary>
    [MemberNotNull(nameof(_indexSettings), nameof(_index), nameof(_writerSession), nameof(_blocks), nameof(_rollup), nameof(_indexCompactor))]
    private byte[]? OpenKvs(bool recover)
    {
        var indexDirectory = Path.Combine(_directory, "index");
        if (!recover && Directory.Exists(indexDirectory))
        {
            Directory.Delete(indexDirectory, recursive: true);
        }

        var indexPageBits = Math.Min(20, _options.IndexMemorySizeBits - 2);
        _indexSettings = new FasterKVSettings<SpanByte, SpanByte>(indexDirectory, deleteDirOnDispose: false)
        {
            IndexSize = 1L << _options.IndexSizeBits,
            PageSize = 1L << indexPageBits,
            MemorySize = 1L << _options.IndexMemorySizeBits,
            SegmentSize = 1L << Math.Max(28, indexPageBits),
            TryRecoverLatest = false,
            RemoveOutdatedCheckpoints = true,
            EqualityComparer = new LogIndexComparer(),
        };
        LogDeviceHandles.Bound(_indexSettings.LogDevice);
        _index = new FasterKV<SpanByte, SpanByte>(_indexSettings);
        var cookie = recover ? LogKvCheckpoint.Recover(_index) : null;
        _writerSession = _index.For(new LogIndexFunctions()).NewSession<LogIndexFunctions>();
        _blocks = new LogBlockStore(Path.Combine(_directory, "meta"), _options.MetadataMemorySizeBits, recover);
        _rollup = new LogRollup(Path.Combine(_directory, "rollup"), _options.RollupMemorySizeBits, recover, RowsAt);
        _indexCompactor = new(_index, indexPageBits, 2L << _options.IndexMemorySizeBits, IsTruncatedRow);
        return cookie;
    }

    /// <summary>An index record of a row below the log's begin address: the log is truncated only past deleted rows, so
    /// its id can have no live version (the compaction drops it without looking the id up).</summary>
    private bool IsTruncatedRow(ref SpanByte value)
        => value.Length >= RowPointer.Size && MemoryMarshal.Read<RowPointer>(value.AsReadOnlySpan()).BodyAddress < _log.BeginAddress;

    private void CloseKvs()
    {
        _writerSession.Dispose();
        _blocks.Dispose();
        _rollup.Dispose();
        _index.Dispose();
        _indexSettings.Dispose();
    }

    /// <summary>Installs the checkpoint the KVs recovered when all of it is there and the log still covers its address.</summary>
    private bool TryRestore(byte[]? indexCookie, out long from)
    {
        from = 0;
        if (!LogKvCheckpoint.TryRead(indexCookie, out var sequence, out var address)
            || !LogKvCheckpoint.TryRead(_blocks.RecoveredCookie, out var blocksSequence, out var blocksAddress)
            || !LogKvCheckpoint.TryRead(_rollup.Store.RecoveredCookie, out var rollupSequence, out var rollupAddress)
            || blocksSequence != sequence || rollupSequence != sequence || blocksAddress != address || rollupAddress != address
            || address > _log.CommittedUntilAddress
            || LogCheckpointFile.Read(CheckpointDirectory, sequence, address, _blocks, _rollup) is not { } gateways)
        {
            return false;
        }

        foreach (var rows in gateways)
        {
            _gateways[rows.Id] = rows;
        }

        _gatewaysByIndex = gateways;
        _checkpointSequence = sequence;
        _checkpointAddress = address;
        DropBelow(_log.BeginAddress);
        from = Math.Max(address, _log.BeginAddress);
        return true;
    }

    /// <summary>Removes the rows below the log's begin address from a recovered checkpoint: they were deleted after it.</summary>
    /// <remarks>A block at a time, as the disk budget deletes them (<see cref="GatewayRows.RemoveBelow"/>): a minute of
    /// trimming at the budget is a million rows, which one by one kept a restart waiting tens of seconds. Their index
    /// records point below the begin address, where no row is found, until the index's compaction drops them.</remarks>
    private void DropBelow(long beginAddress)
    {
        var dropped = 0;
        foreach (var rows in _gatewaysByIndex)
        {
            dropped += rows.RemoveBelow(beginAddress);
        }

        _indexCompactor.Deleted(dropped);
    }

    /// <summary>Starts a checkpoint (writer only, after a commit and the KVs' flush): false when it cannot start now.</summary>
    private async ValueTask<bool> BeginCheckpointAsync()
    {
        if (!_checkpoint.IsCompleted || !Compactions.IsCompleted || _pending.Count > 0 || _log.TailAddress != _log.CommittedUntilAddress)
        {
            return false;
        }

        var address = _log.CommittedUntilAddress;
        if (address == _checkpointAddress)
        {
            return true; // nothing was written since: the checkpoint on disk still describes the store
        }

        var sequence = ++_checkpointSequence;
        var cookie = LogKvCheckpoint.Cookie(sequence, address);
        FasterKV<SpanByte, SpanByte>[] kvs = [_index, _blocks.Kv, _rollup.Store.Kv];
        var before = new long[kvs.Length];
        var began = new List<Task>(kvs.Length);
        for (var i = 0; i < kvs.Length; i++)
        {
            before[i] = kvs[i].CurrentVersion;
            if (LogKvCheckpoint.TryBegin(kvs[i], cookie))
            {
                began.Add(LogKvCheckpoint.CompleteAsync(kvs[i]));
            }
        }

        var state = LogCheckpointFile.Encode(sequence, address, _gatewaysByIndex);
        var completion = Task.WhenAll(began);

        // Operations before the version switch belong to the checkpoint: the writer makes none until all three switched.
        while (!completion.IsCompleted && !Switched(kvs, before))
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        _checkpoint = FinishCheckpointAsync(kvs, completion, began.Count == kvs.Length, sequence, address, state);
        return true;
    }

    private static bool Switched(FasterKV<SpanByte, SpanByte>[] kvs, long[] before)
    {
        for (var i = 0; i < kvs.Length; i++)
        {
            if (kvs[i].CurrentVersion <= before[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the gateways' file and waits for the KVs' pages (background); then deletes what the previous
    /// checkpoint alone needed.</summary>
    private async Task FinishCheckpointAsync(FasterKV<SpanByte, SpanByte>[] kvs, Task completion, bool whole, long sequence, long address, byte[] state)
    {
        var directory = CheckpointDirectory;
        await Task.Run(() => LogCheckpointFile.Write(directory, sequence, state)).ConfigureAwait(false);
        await completion.ConfigureAwait(false);
        if (!whole)
        {
            throw new IOException("A request log checkpoint could not start in every store: the next one will be whole.");
        }

        foreach (var kv in kvs)
        {
            LogKvCheckpoint.Truncate(kv);
        }

        LogCheckpointFile.DeleteOthers(directory, sequence);
        Volatile.Write(ref _checkpointAddress, address);
    }

    /// <summary>True once the checkpoint in progress (or the last one) is on disk; false when it failed.</summary>
    private async ValueTask<bool> WaitCheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _checkpoint.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last checkpoint, after the writer has stopped and the compactions ended: the next open replays nothing.</summary>
    private async ValueTask CheckpointOnCloseAsync()
    {
        if (!_options.CheckpointOnClose)
        {
            return;
        }

        await WaitCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (await BeginCheckpointAsync().ConfigureAwait(false))
            {
                await WaitCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A disk error on the way out: the next open replays from the previous checkpoint instead.
        }
    }
}
