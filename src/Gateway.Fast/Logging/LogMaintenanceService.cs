using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Logging;

/// <summary>Runs the retention sweep (age, row caps, disk budget) every <see cref="RequestLogOptions.SweepIntervalSeconds"/>,
/// a checkpoint every <see cref="RequestLogOptions.CheckpointIntervalSeconds"/>, and on shutdown waits until every queued
/// row is committed.</summary>
/// <remarks>SIGTERM stops the host: Kestrel drains first, then this flush, then the container disposes the store (which
/// takes the last checkpoint).</remarks>
internal sealed partial class LogMaintenanceService : BackgroundService
{
    private readonly FasterLogStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly TimeSpan? _checkpointPeriod;
    private readonly ILogger<LogMaintenanceService> _logger;
    private bool _overBudgetReported;

    public LogMaintenanceService(FasterLogStore store, TimeProvider time, IOptions<RequestLogOptions> options, ILogger<LogMaintenanceService> logger)
    {
        _store = store;
        _time = time;
        _period = TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepIntervalSeconds));
        _checkpointPeriod = options.Value.CheckpointIntervalSeconds > 0 ? TimeSpan.FromSeconds(options.Value.CheckpointIntervalSeconds) : null;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _store.FlushAsync(CancellationToken.None);
    }

    /// <summary>One sweep, then a warning (once, until it fits again) when the folder is still over its budget.</summary>
    internal async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            long started = _time.GetTimestamp();
            int deleted = await _store.SweepAsync(_time.GetUtcNow(), cancellationToken);
            Log.Swept(_logger, deleted, _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SweepFailed(_logger, ex);
            return;
        }

        var status = _store.StorageStatus();
        if (status.OverBudget && !_overBudgetReported)
        {
            Log.OverBudget(_logger, status.UsedBytes, status.BudgetBytes!.Value);
        }

        _overBudgetReported = status.OverBudget;
    }

    /// <summary>One checkpoint; a failure is logged and the next tick tries again (the store stays as it was).</summary>
    internal async Task CheckpointOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            long started = _time.GetTimestamp();
            bool taken = await _store.CheckpointAsync(cancellationToken);
            Log.Checkpointed(_logger, taken, _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CheckpointFailed(_logger, ex);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        EveryAsync(_period, SweepOnceAsync, stoppingToken),
        _checkpointPeriod is { } period ? EveryAsync(period, CheckpointOnceAsync, stoppingToken) : Task.CompletedTask);

    private async Task EveryAsync(TimeSpan period, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await work(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Request log retention sweep failed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "The request log folder takes {UsedBytes} bytes after retention, over its budget of {BudgetBytes} "
            + "(Gateway:Logs:MaxDiskBytes): the segment being written and the id index do not fit. Raise the budget or lower Gateway:Logs:SegmentSizeBits.")]
        public static partial void OverBudget(ILogger logger, long usedBytes, long budgetBytes);

        // Debug: a trace of a stall lines background work up with it (loadtests/soak.sh TRACE=1).
        [LoggerMessage(3, LogLevel.Debug, "Request log retention sweep deleted {Rows} rows in {Milliseconds:F1} ms")]
        public static partial void Swept(ILogger logger, int rows, double milliseconds);

        [LoggerMessage(4, LogLevel.Error, "Request log checkpoint failed; the next open replays the log from the previous one")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception);

        // Debug, like the sweep: the writer waits only for the version switch, the pages are written in the background.
        [LoggerMessage(5, LogLevel.Debug, "Request log checkpoint (taken: {Taken}) on disk in {Milliseconds:F1} ms")]
        public static partial void Checkpointed(ILogger logger, bool taken, double milliseconds);
    }
}
