namespace Gateway.Fast.Hosting;

/// <summary>Decides when a quiet gateway gives the memory of a past burst back to the OS.</summary>
/// <remarks>
/// The GC collects only when something allocates, so a gateway that goes quiet after a burst keeps the heap the burst grew
/// (measured: 111 MiB before 3,000 streams, 272 MiB a minute after they ended, with no collection in between). Checked
/// every period: when the period allocated less than <see cref="QuietBytes"/>, the GC holds at least
/// <see cref="GrowthFactor"/> times its idle baseline, and the last trim is <see cref="SpacingPeriods"/> periods old, one
/// aggressive collection (compacting, decommitting free memory) runs. A second one catches what the burst's idle upstream
/// connections held once their pool closes them. A trim that frees less than a tenth means the live data itself grew
/// (rows, cache pages): its level becomes the baseline, so a quiet gateway is not collected again and again. Each trim
/// blocks the process for one collection, tens of milliseconds for a few hundred MiB, and only while traffic is low.
/// </remarks>
internal sealed class IdleMemoryTrim
{
    /// <summary>Allocation in one period below which the process counts as quiet (a few requests a second allocate less).</summary>
    public const long QuietBytes = 16L << 20;

    /// <summary>Thread-pool work items in one period below which the process counts as quiet: each request and each
    /// streamed event completes a few, while an idle gateway's timers complete a few a second.</summary>
    public const long QuietWorkItems = 1_000;

    /// <summary>Growth of the GC's committed memory over the baseline that makes a trim worth its pause.</summary>
    public const double GrowthFactor = 1.2;

    /// <summary>Periods between two trims.</summary>
    public const int SpacingPeriods = 3;

    private long _lastAllocated = -1;
    private long _lastWorkItems;
    private long _baseline;
    private int _sinceTrim = SpacingPeriods;

    /// <summary>Feeds one period's figures; true when the caller should collect now, then report with <see cref="Trimmed"/>.</summary>
    /// <param name="totalAllocated">Bytes allocated since the process started (<see cref="GC.GetTotalAllocatedBytes"/>).</param>
    /// <param name="completedWorkItems">Thread-pool work items completed since the process started
    /// (<see cref="ThreadPool.CompletedWorkItemCount"/>).</param>
    /// <param name="committed">Memory the GC holds now (<see cref="GCMemoryInfo.TotalCommittedBytes"/>).</param>
    public bool ShouldTrim(long totalAllocated, long completedWorkItems, long committed)
    {
        long allocated = _lastAllocated < 0 ? long.MaxValue : totalAllocated - _lastAllocated;
        long workItems = completedWorkItems - _lastWorkItems;
        _lastAllocated = totalAllocated;
        _lastWorkItems = completedWorkItems;
        _sinceTrim++;
        if (_baseline == 0)
        {
            _baseline = committed; // the first period, at start-up, sets the baseline
            return false;
        }

        return allocated < QuietBytes && workItems < QuietWorkItems && committed >= _baseline * GrowthFactor
            && _sinceTrim >= SpacingPeriods;
    }

    /// <summary>Records a trim: what the GC held before and after it.</summary>
    public void Trimmed(long committedBefore, long committedAfter)
    {
        _sinceTrim = 0;
        if (committedAfter > committedBefore * 0.9)
        {
            _baseline = committedAfter;
        }
    }
}
