namespace Capacity.Load;

/// <summary>CPU time spent by a process between two readings, per request answered, in microseconds.</summary>
internal static class CpuPerRequest
{
    public static double? Microseconds(TimeSpan? before, TimeSpan? after, long requests) =>
        before is { } b && after is { } a && requests > 0 ? Math.Round((a - b).TotalMicroseconds / requests, 1) : null;
}
