using Gateway.Fast.Storage;

namespace Gateway.Fast.Logging;

/// <summary>The disk budget of the log folder: measuring it, and freeing the log's oldest segment while it is over.</summary>
/// <remarks>
/// <para>FasterLog gives disk back only as whole segment files below its begin address, and one log holds every gateway's
/// rows, so the budget is enforced by log address, not per gateway: steps delete the live rows of the oldest segment,
/// whichever gateways they belong to, a metadata block at a time and without tombstones, and the commit that follows each
/// moves the begin address past them; once past the segment's end its file is deleted and the folder measured again.
/// Freeing starts when the folder passes the budget less one segment, the high-water mark, and stops below it; the writer
/// measures the folder every sixteenth of a segment of log and starts a sweep itself when it is past the mark, so the
/// folder stays within the budget at the highest rate the writer takes rows, not just between the minute timer's sweeps.</para>
/// <para>Each step is a command of its own in the writer's queue, so the appends that arrive meanwhile are written between
/// two steps: a large excess (a budget lowered by hand) never holds the writer for long, and the request path, which only
/// enqueues, never waits on it.</para>
/// <para>The folder is measured, not estimated: it also holds the commit files, the id index and the metadata stores, which
/// grow with the rows and shrink at their compactions and checkpoints. What cannot be freed is the segment being written;
/// a budget smaller than that and the index stays over, which <see cref="LogStorageStatus.OverBudget"/> reports.</para>
/// </remarks>
public sealed partial class FasterLogStore
{
    // Passed as the sweep's time when only the disk step should run again (SweepAsync's follow-up steps).
    private const long DiskStepOnly = long.MinValue;
    private const int StepsPerSegment = 16;
    private const long MinStepBytes = 4096;

    private readonly string _directory;
    private bool _truncationDue;
    private bool _trimContinues;
    private long _measuredAtTail;
    private Task _diskSweep = Task.CompletedTask;
    // Set by the writer when it starts a sweep, cleared by the step that finds nothing more to free: both on the writer,
    // so the commit after the rows that a finished sweep did not see starts the next one.
    private bool _diskSweepActive;

    /// <summary>Live rows of every gateway.</summary>
    public long Rows
    {
        get
        {
            long rows = 0;
            foreach (var gateway in Volatile.Read(ref _gatewaysByIndex))
            {
                rows += gateway.Count;
            }

            return rows;
        }
    }

    /// <summary>Bytes on disk, budget and rows of the log folder, measured now.</summary>
    public LogStorageStatus StorageStatus() => new(DiskUsage.Measure(_directory), _options.MaxDiskBytes, Rows, _options.DiskWarningRatio);

    /// <summary>Deletes rows older than <see cref="FasterLogStoreOptions.MaxAge"/> and rows over a <c>DELETE_OLDEST</c> cap,
    /// then, while the folder is over <see cref="FasterLogStoreOptions.MaxDiskBytes"/>, the oldest rows of every gateway;
    /// truncates the log below the oldest live row and deletes the freed segment files before it returns. Returns how many
    /// rows it deleted. Called from a timer by the maintenance service.</summary>
    public async ValueTask<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        var time = now.ToUnixTimeMilliseconds();
        do
        {
            deleted += await SubmitAsync(new LogRequest<int>(LogCommandKind.Sweep) { NowUnixMs = time }, cancellationToken).ConfigureAwait(false);
            time = DiskStepOnly;
        }
        while (Volatile.Read(ref _trimContinues));

        return deleted;
    }

    /// <summary>The disk sweep the writer started when the folder passed its high-water mark, or the last one (tests).</summary>
    internal Task DiskSweep => Volatile.Read(ref _diskSweep);

    /// <summary>Where freeing starts and where it stops: the budget less one segment (at most a quarter of the budget).</summary>
    /// <remarks>FasterLog frees a segment only once all of it is behind the begin address, so the folder drops by whole
    /// segments: aiming a segment below the budget leaves that segment's room for what is written while the next one is
    /// freed, and the folder stays within the budget instead of passing it by the segment and the writes of the wait.</remarks>
    private long HighWaterMark(long budget) => budget - Math.Min(_logSettings.LogDevice.SegmentSize, budget / 4);

    /// <summary>After a commit (writer only): once the log has grown by a step since the folder was last measured, measures
    /// it, and past the high-water mark starts a disk sweep of its own instead of leaving the excess to the minute timer.</summary>
    /// <remarks>At ~30 MB/s (the soak's 18,000 rows a second) a minute between sweeps is 1.8 GB over a 10 GiB budget before
    /// the first step. A measure is a walk of a few dozen files (~0.1 ms), taken every sixteenth of a segment of log (about
    /// twice a second at that rate). The sweep runs as commands in the writer's queue, like the timer's, so it is started,
    /// never awaited, here.</remarks>
    private void StartDiskSweepIfFull()
    {
        if (_options.MaxDiskBytes is not long budget || !_options.SweepWhenFull || Volatile.Read(ref _diskSweepActive))
        {
            return;
        }

        var tail = _log.TailAddress;
        if (tail - _measuredAtTail < Math.Max(_logSettings.LogDevice.SegmentSize / StepsPerSegment, MinStepBytes))
        {
            return;
        }

        _measuredAtTail = tail;
        if (DiskUsage.Measure(_directory) > HighWaterMark(budget))
        {
            Volatile.Write(ref _diskSweepActive, true);
            Volatile.Write(ref _diskSweep, Task.Run(TrimUntilBelowAsync));
        }
    }

    /// <summary>Disk steps until the folder is below the high-water mark; a failure waits for the next trigger or the timer
    /// (the maintenance service logs the timer's).</summary>
    private async Task TrimUntilBelowAsync()
    {
        try
        {
            do
            {
                await SubmitAsync(new LogRequest<int>(LogCommandKind.Sweep) { NowUnixMs = DiskStepOnly }).ConfigureAwait(false);
            }
            while (Volatile.Read(ref _trimContinues));
        }
        catch (Exception)
        {
            Volatile.Write(ref _diskSweepActive, false);

            // Closed while trimming, or the disk refused the commit: the rows stay and the next trigger or the timer's
            // sweep tries again (and the maintenance service logs a failure of the latter). Nobody awaits this task.
        }
    }

    /// <summary>One disk step (writer only): when the folder is over its high-water mark, deletes the live rows of the next
    /// sixteenth of the log's oldest segment and marks the log for truncation past them. Returns how many it deleted.</summary>
    /// <param name="measure">False when this sweep already deleted rows by age or cap: their space is freed by the truncation
    /// to come, so the folder is measured at the next step instead.</param>
    /// <remarks>These rows are all below the address the commit of this step moves the log's begin address past, so they
    /// get no tombstone: recovery drops the rows below the begin address from a checkpoint, and the id index's records
    /// of them are dropped by its compaction (a lookup in between finds no live row at their address). A crash before
    /// that commit leaves the rows and the log as they were.</remarks>
    private int TrimOldestSegment(bool measure)
    {
        var deleted = TrimStep(measure);
        Volatile.Write(ref _diskSweepActive, Volatile.Read(ref _trimContinues));
        return deleted;
    }

    private int TrimStep(bool measure)
    {
        Volatile.Write(ref _trimContinues, false);
        if (_options.MaxDiskBytes is not long budget)
        {
            return 0;
        }

        if (!measure)
        {
            Volatile.Write(ref _trimContinues, true);
            return 0;
        }

        _measuredAtTail = _log.TailAddress;
        if (DiskUsage.Measure(_directory) <= HighWaterMark(budget))
        {
            return 0;
        }

        var segment = _logSettings.LogDevice.SegmentSize; // a power of two, set by the log from the folder's layout
        var begin = _log.BeginAddress;

        // The segment holding the begin address is whole on disk: freeing it means moving past its end, in steps of a
        // sixteenth of it (16 MiB of the default 256 MiB, ~12,000 rows with 1 KB bodies), so appends are written between
        // two steps. The segment being written stays whatever its rows, and nothing past the commit point is touched.
        var step = Math.Max(segment / StepsPerSegment, MinStepBytes);
        var target = Math.Min(Math.Min((begin & -segment) + segment, begin + step), _log.CommittedUntilAddress & -segment);
        if (target <= begin)
        {
            return 0;
        }

        var deleted = 0;
        foreach (var rows in Volatile.Read(ref _gatewaysByIndex))
        {
            deleted += rows.RemoveBelow(target);
        }

        _indexCompactor.Deleted(deleted);

        // Even with no live row below the target (only updates and tombstones there), the log is truncated past it.
        _truncationDue = true;
        Volatile.Write(ref _trimContinues, true);
        return deleted;
    }

    /// <summary>Moves the log's begin address to <paramref name="address"/> in memory; the next commit persists it, then
    /// <see cref="DeleteTruncatedSegments"/> removes the files below it.</summary>
    /// <remarks>FasterLog's own <c>TruncateUntil</c> deletes the files after the commit on a thread-pool task nobody can
    /// await, so a sweep returned with the folder still full. Shifting the begin address first leaves FasterLog nothing to
    /// delete at the commit, and the writer deletes the files itself, after the commit: a crash in between leaves files
    /// below the committed begin address, which recovery deletes.</remarks>
    private void ShiftBeginAddress(long address) => _log.UnsafeShiftBeginAddress(address);

    /// <summary>Deletes the segment files wholly below the committed begin address (writer only, after the commit).</summary>
    private void DeleteTruncatedSegments() => _logSettings.LogDevice.TruncateUntilAddress(_log.BeginAddress);
}
