using System.Diagnostics;

namespace StreamClient;

/// <summary>Nearest-rank percentiles over sorted tick values, reported in milliseconds.</summary>
internal static class Percentiles
{
    public static double Ms(long[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        long ticks = sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        return ticks * 1000.0 / Stopwatch.Frequency;
    }
}
