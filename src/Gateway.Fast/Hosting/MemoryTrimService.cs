using Gateway.Fast.Accounting;
using Gateway.Fast.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Hosting;

/// <summary>Every 10 s, asks <see cref="IdleMemoryTrim"/> whether a quiet gateway should give a past burst's memory back,
/// and if so empties Kestrel's block pools (<see cref="BlockMemoryPoolFactory"/>), runs one aggressive collection and trims the C heap (<see cref="NativeHeapTrim"/>); 10 s so the memory is back
/// within about a minute of the burst's end. Each period it also lets the token counter's tables go once unused for
/// <see cref="GatewayOptions.TokenizerIdleSeconds"/>.</summary>
internal sealed partial class MemoryTrimService(
    TimeProvider time, IOptions<GatewayOptions> options, BlockMemoryPoolFactory socketBuffers, ILogger<MemoryTrimService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly IdleMemoryTrim _trim = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int tokenizerIdleSeconds = options.Value.TokenizerIdleSeconds;
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (tokenizerIdleSeconds > 0 && TokenEstimator.ReleaseIfIdle(TimeSpan.FromSeconds(tokenizerIdleSeconds)))
                {
                    _trim.Released();
                    Log.TokenizerReleased(logger, tokenizerIdleSeconds);
                }

                long committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (_trim.ShouldTrim(GC.GetTotalAllocatedBytes(), ThreadPool.CompletedWorkItemCount, committed))
                {
                    long started = time.GetTimestamp();
                    long pooled = socketBuffers.Trim();
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    NativeHeapTrim.TryTrim();
                    long after = GC.GetGCMemoryInfo().TotalCommittedBytes;
                    _trim.Trimmed(committed, after);
                    Log.Trimmed(logger, committed >> 20, after >> 20, pooled >> 20, time.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        // Debug: a trace of a stall lines background work up with it (loadtests/soak.sh TRACE=1).
        [LoggerMessage(1, LogLevel.Debug, "Idle memory trim: GC committed {BeforeMiB} MiB -> {AfterMiB} MiB ({PooledMiB} MiB of socket buffers let go) in {Milliseconds:F1} ms")]
        public static partial void Trimmed(ILogger logger, long beforeMiB, long afterMiB, long pooledMiB, double milliseconds);

        [LoggerMessage(2, LogLevel.Debug, "Token counter's tables let go after {Seconds} s unused")]
        public static partial void TokenizerReleased(ILogger logger, int seconds);
    }
}
