namespace Gateway.Fast.Logging;

/// <summary>The fixed log-scale buckets that analytics' latency and time-to-first-token percentiles are reported in.</summary>
/// <remarks>
/// <para>Values under 128 ms have a bucket each; above, every power of two is cut into 64 buckets, so a bucket is at most
/// 1/64 (1.6 %) of its value wide: 1,664 buckets cover every <see cref="int"/>. A percentile is the lower bound of the
/// bucket that holds the nearest-rank value.</para>
/// <para>Why buckets: the store's analytics keep, per minute and hour, a count per bucket instead of every row's value
/// (<see cref="LogRollup"/>), so a percentile over a week reads a few hundred bucket counts, not millions of rows. A scan
/// over rows reports its exact nearest-rank value rounded down the same way (<see cref="Quantize"/>), so both ways of
/// answering give the same number.</para>
/// </remarks>
public static class LogLatencyHistogram
{
    private const int Exact = 128;
    private const int SubBits = 6;
    private const int Sub = 1 << SubBits;

    /// <summary>Buckets in all: 128 exact ones, then 64 per power of two from 2^7 to 2^30.</summary>
    public const int BucketCount = Exact + ((31 - 7) * Sub);

    /// <summary>The bucket of <paramref name="value"/> (negative values count as 0).</summary>
    public static int IndexOf(int value)
    {
        if (value < Exact)
        {
            return Math.Max(value, 0);
        }

        var exponent = 31 - int.LeadingZeroCount(value); // 7..30
        var sub = (value >> (exponent - SubBits)) & (Sub - 1);
        return Exact + ((exponent - 7) * Sub) + sub;
    }

    /// <summary>The smallest value of bucket <paramref name="index"/>.</summary>
    public static int LowerBound(int index)
    {
        if (index < Exact)
        {
            return index;
        }

        var exponent = 7 + ((index - Exact) / Sub);
        var sub = (index - Exact) % Sub;
        return (Sub + sub) << (exponent - SubBits);
    }

    /// <summary><paramref name="value"/> rounded down to its bucket's lower bound.</summary>
    public static int Quantize(int value) => LowerBound(IndexOf(value));

    /// <summary>The nearest-rank <paramref name="percentile"/> of the values counted in <paramref name="counts"/> (per bucket),
    /// as its bucket's lower bound; null when there are none.</summary>
    public static double? Percentile(ReadOnlySpan<long> counts, long total, double percentile)
    {
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Clamp((long)Math.Ceiling(percentile / 100 * total), 1, total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return LowerBound(i);
            }
        }

        return null;
    }
}
