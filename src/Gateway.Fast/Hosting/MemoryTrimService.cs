using Microsoft.Extensions.Hosting;

namespace Gateway.Fast.Hosting;

/// <summary>Every 10 s, asks <see cref="IdleMemoryTrim"/> whether a quiet gateway should give a past burst's memory back,
/// and if so runs one aggressive collection; 10 s so the memory is back within about a minute of the burst's end.</summary>
internal sealed class MemoryTrimService(TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly IdleMemoryTrim _trim = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                long committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (_trim.ShouldTrim(GC.GetTotalAllocatedBytes(), committed))
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    _trim.Trimmed(committed, GC.GetGCMemoryInfo().TotalCommittedBytes);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
