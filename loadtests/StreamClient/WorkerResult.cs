namespace StreamClient;

/// <summary>What one worker saw; merged after the phase so the hot loop shares nothing but the request counter.</summary>
internal sealed class WorkerResult
{
    public List<Sample> Samples { get; } = new(4096);
    public long Errors { get; set; }
    public long Events { get; set; }
    public long MaxEventGapTicks { get; set; }

    /// <summary>Gaps of at least <see cref="ClientOptions.GapThresholdMs"/>: when each ended (Unix ms) and how long it was.</summary>
    public List<EventGap> Gaps { get; } = [];
}
