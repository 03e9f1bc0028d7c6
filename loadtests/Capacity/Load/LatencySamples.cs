using System.Diagnostics;
using Capacity.Model;

namespace Capacity.Load;

/// <summary>Per-request times in <see cref="Stopwatch"/> ticks, turned into nearest-rank percentiles in milliseconds.</summary>
internal static class LatencySamples
{
    public static Latency Summarise(long[] ticks, int count)
    {
        if (count == 0)
        {
            return new Latency();
        }

        Array.Sort(ticks, 0, count);
        return new Latency
        {
            P50 = Ms(ticks, count, 0.50),
            P90 = Ms(ticks, count, 0.90),
            P99 = Ms(ticks, count, 0.99),
            P999 = Ms(ticks, count, 0.999),
            Max = Round(ticks[count - 1]),
        };
    }

    private static double Ms(long[] sorted, int count, double p)
    {
        int rank = (int)Math.Ceiling(p * count) - 1;
        return Round(sorted[Math.Clamp(rank, 0, count - 1)]);
    }

    private static double Round(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);
}
