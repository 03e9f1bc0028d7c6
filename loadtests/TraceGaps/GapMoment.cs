using System.Globalization;

namespace TraceGaps;

/// <summary>One stream's silence: [StartMs, EndMs] in Unix milliseconds.</summary>
internal readonly record struct Gap(double StartMs, double EndMs)
{
    public double Ms => EndMs - StartMs;
}

/// <summary>Gaps that overlap in time: a process-wide stall silences every open stream at once, so it is one moment with many
/// streams, while a lone gap is one stream's (or one connection's) trouble.</summary>
internal sealed record GapMoment(double StartMs, double EndMs, double LargestMs, int Streams)
{
    /// <summary>Reads StreamClient's <c>end_unix_ms,gap_ms</c> lines.</summary>
    public static List<Gap> ReadGaps(string path)
    {
        var gaps = new List<Gap>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length == 2)
            {
                double end = double.Parse(parts[0], CultureInfo.InvariantCulture);
                gaps.Add(new Gap(end - double.Parse(parts[1], CultureInfo.InvariantCulture), end));
            }
        }

        return gaps;
    }

    /// <summary>Merges overlapping gaps into moments, largest first.</summary>
    public static List<GapMoment> Group(IEnumerable<Gap> gaps)
    {
        var moments = new List<GapMoment>();
        foreach (var gap in gaps.OrderBy(g => g.StartMs))
        {
            if (moments.Count > 0 && gap.StartMs <= moments[^1].EndMs)
            {
                var last = moments[^1];
                moments[^1] = last with
                {
                    EndMs = Math.Max(last.EndMs, gap.EndMs),
                    LargestMs = Math.Max(last.LargestMs, gap.Ms),
                    Streams = last.Streams + 1,
                };
            }
            else
            {
                moments.Add(new GapMoment(gap.StartMs, gap.EndMs, gap.Ms, 1));
            }
        }

        moments.Sort((a, b) => b.LargestMs.CompareTo(a.LargestMs));
        return moments;
    }
}
