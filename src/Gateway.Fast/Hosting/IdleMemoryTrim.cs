namespace Gateway.Fast.Hosting;

/// <summary>Decides when a quiet gateway gives the memory of a past burst back to the OS.</summary>
/// <remarks>
/// The GC collects only when something allocates, so a gateway that goes quiet after a burst keeps the heap the burst grew
/// (measured: 111 MiB before 3,000 streams, 272 MiB a minute after they ended, with no collection in between). Checked
/// every period: when the period allocated less than <see cref="QuietBytes"/>, the GC holds at least
/// <see cref="GrowthFactor"/> times its idle baseline, and the last trim is <see cref="SpacingPeriods"/> periods old, one
/// aggressive collection (compacting, decommitting free memory) runs. A trim that frees less than a tenth means the live
/// data itself grew (rows, cache pages): its level becomes the baseline, so a quiet gateway is not collected again and
/// again. What a quiet gateway lets go of after the first trim (the token counter's tables once unused; upstream
/// connections closed by their pool; socket buffers returned to Kestrel's pools after the trim emptied them) is garbage no allocation will
/// collect, so the <see cref="DrainPeriods"/>th quiet period, and any after <see cref="Released"/>, trims once more
/// whatever the growth. Start-up leaves garbage of the same kind (configuration, the stores' recovery, the endpoint
/// table: a few MiB of heap no allocation of an idle gateway will collect), so the first quiet period after start trims
/// too, unless a busy period came first. Each trim blocks the process for one collection, tens of milliseconds for a few
/// hundred MiB, and only while traffic is low.
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

    /// <summary>Quiet periods in a row after which one more trim collects what the quiet spell let go of.</summary>
    public const int DrainPeriods = 4;

    private long _lastAllocated = -1;
    private long _lastWorkItems;
    private long _baseline;
    private int _sinceTrim = SpacingPeriods;
    private int _quietPeriods;
    private bool _pending;
    private bool _startingUp = true;

    /// <summary>True when the last period fed to <see cref="ShouldTrim"/> was quiet.</summary>
    public bool Quiet => _quietPeriods > 0;

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

        bool quiet = allocated < QuietBytes && workItems < QuietWorkItems;
        _quietPeriods = quiet ? _quietPeriods + 1 : 0;
        _startingUp &= quiet;
        if (_quietPeriods == DrainPeriods)
        {
            _pending = true;
        }

        return quiet && (committed >= _baseline * GrowthFactor || _pending || _startingUp) && _sinceTrim >= SpacingPeriods;
    }

    /// <summary>Records that the gateway let go of memory only a full collection frees: the next quiet period may trim.</summary>
    public void Released() => _pending = true;

    /// <summary>Records a trim: what the GC held before and after it.</summary>
    public void Trimmed(long committedBefore, long committedAfter)
    {
        _sinceTrim = 0;
        _pending = false;
        _startingUp = false;
        if (committedAfter > committedBefore * 0.9)
        {
            _baseline = committedAfter;
        }
    }
}
