using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Logging;

/// <summary>Runs the retention sweep every minute, and on shutdown waits until every queued row is committed.</summary>
/// <remarks>SIGTERM stops the host: Kestrel drains first, then this flush, then the container disposes the store.</remarks>
internal sealed partial class LogMaintenanceService : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private readonly FasterLogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<LogMaintenanceService> _logger;

    public LogMaintenanceService(FasterLogStore store, TimeProvider time, ILogger<LogMaintenanceService> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _store.FlushAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await _store.SweepAsync(_time.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SweepFailed(_logger, ex);
                }
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
    }
}
