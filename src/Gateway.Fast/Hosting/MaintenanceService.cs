using Gateway.Fast.RateLimiting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Hosting;

/// <summary>Periodic housekeeping off the hot path: forgets idle rate-limit windows (deleted gateways do not leak) and warns
/// once when the descriptors in use near their limit.</summary>
internal sealed class MaintenanceService : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private readonly IRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger<MaintenanceService> _logger;

    public MaintenanceService(IRateLimiter limiter, TimeProvider time, ILogger<MaintenanceService> logger)
    {
        _limiter = limiter;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _limiter.Sweep();

                DescriptorExhaustion.Check(_logger);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
