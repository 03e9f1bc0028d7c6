using Gateway.Fast.Storage;

namespace Gateway.Fast.Logging;

/// <summary>The disk budget of the log folder: measuring it, and freeing the log's oldest segment while it is over.</summary>
/// <remarks>
/// <para>FasterLog gives disk back only as whole segment files below its begin address, and one log holds every gateway's
/// rows, so the budget is enforced by log address, not per gateway: steps delete the live rows of the oldest segment,
/// whichever gateways they belong to, and the truncation that follows each moves the begin address past them; once past
/// the segment's end its file is deleted and the folder measured again.
/// <see cref="SweepAsync"/> repeats steps, each one a command of its own in the writer's queue, so the appends that arrive
/// meanwhile are written between two steps: a large excess (a budget lowered by hand) never holds the writer for long, and
/// the request path, which only enqueues, never waits on it.</para>
/// <para>The folder is measured, not estimated: it also holds the commit files and the id index, which grow with the rows.
/// What cannot be freed is the segment being written; a budget smaller than that and the index stays over, which
/// <see cref="LogStorageStatus.OverBudget"/> reports.</para>
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

    /// <summary>One disk step (writer only): when the folder is over budget, deletes the live rows of the next sixteenth of
    /// the log's oldest segment and marks the log for truncation past them.</summary>
    /// <param name="removed">The ids deleted, for the tombstones.</param>
    /// <param name="measure">False when this sweep already deleted rows by age or cap: their space is freed by the truncation
    /// to come, so the folder is measured at the next step instead.</param>
    private void TrimOldestSegment(LogIdList removed, bool measure)
    {
        Volatile.Write(ref _trimContinues, false);
        if (_options.MaxDiskBytes is not long budget)
        {
            return;
        }

        if (!measure)
        {
            Volatile.Write(ref _trimContinues, true);
            return;
        }

        if (DiskUsage.Measure(_directory) <= budget)
        {
            return;
        }

        var segment = _logSettings.LogDevice.SegmentSize; // a power of two, set by the log from the folder's layout
        var begin = _log.BeginAddress;

        // The segment holding the begin address is whole on disk: freeing it means moving past its end, in steps of a
        // sixteenth of it (16 MiB of the default 256 MiB, ~12,000 rows with 1 KB bodies). Rows cost 20–60 µs each to
        // delete (Debug build, 2 busy cores), so a whole segment held the writer for seconds and let the queue fill at
        // high rates; a step holds it for a fraction of a second. The segment being written stays whatever its rows,
        // and nothing past the commit point is touched.
        var step = Math.Max(segment / StepsPerSegment, MinStepBytes);
        var target = Math.Min(Math.Min((begin & -segment) + segment, begin + step), _log.CommittedUntilAddress & -segment);
        if (target <= begin)
        {
            return;
        }

        foreach (var rows in Volatile.Read(ref _gatewaysByIndex))
        {
            _victims.Clear();
            rows.RowsBelow(target, _victims);
            RemoveVictims(rows, removed);
        }

        // Even with no live row below the target (only updates and tombstones there), the log is truncated past it.
        _truncationDue = true;
        Volatile.Write(ref _trimContinues, true);
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
