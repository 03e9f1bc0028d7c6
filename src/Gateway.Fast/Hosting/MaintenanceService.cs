using Gateway.Fast.RateLimiting;
using Microsoft.Extensions.Hosting;

namespace Gateway.Fast.Hosting;

/// <summary>Periodic housekeeping off the hot path: forgets idle rate-limit windows (deleted gateways do not leak).</summary>
internal sealed class MaintenanceService : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private readonly IRateLimiter _limiter;
    private readonly TimeProvider _time;

    public MaintenanceService(IRateLimiter limiter, TimeProvider time)
    {
        _limiter = limiter;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_limiter is LocalRateLimiter local)
                {
                    local.Sweep();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
