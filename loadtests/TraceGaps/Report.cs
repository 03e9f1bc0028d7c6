using System.Globalization;

namespace TraceGaps;

/// <summary>Prints each process's pauses, then the largest gap moments with what overlapped them.</summary>
internal static class Report
{
    // Background-work log lines this long before a gap count as its context (a checkpoint that started just before).
    private const double LogLeadMs = 1_000;

    public static void Print(List<ProcessTrace> traces, List<GapMoment> moments, int gapCount, double minGapMs, int top)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        foreach (var trace in traces)
        {
            var pauses = trace.Pauses;
            var largest = pauses.OrderByDescending(p => p.Ms).Take(3).Select(p => $"{p.Ms:F0} ms {p.What}");
            Console.WriteLine($"{trace.Label}: {pauses.Count} GC pauses, total {pauses.Sum(p => p.Ms):F0} ms, "
                + $"p99 {Percentile(pauses, 0.99):F1} ms, max {(pauses.Count > 0 ? pauses.Max(p => p.Ms) : 0):F1} ms; "
                + $"{pauses.Count(p => p.Ms >= minGapMs)} of at least {minGapMs:F0} ms; "
                + $"thread-pool starvation injections {trace.Starvation.Count}; lock waits >= 5 ms {trace.Contention.Count}"
                + (trace.Contention.Count > 0 ? $" (max {trace.Contention.Max(c => c.Ms):F0} ms)" : ""));
            Console.WriteLine($"  collections: {string.Join(", ", trace.GcCounts.OrderByDescending(c => c.Value).Select(c => $"{c.Value} x {c.Key}"))}");
            Console.WriteLine($"  largest pauses: {string.Join("; ", largest)}");
            Console.WriteLine($"  log lines traced: {trace.LogLines.Count}");
            var stalls = trace.Pauses.Concat(trace.Contention).Where(s => s.Ms >= minGapMs).OrderBy(s => s.StartMs).ToList();
            foreach (var stall in stalls.Take(20))
            {
                Console.WriteLine($"    {DateTime.UnixEpoch.AddMilliseconds(stall.StartMs):HH:mm:ss.fff} {stall.Ms,6:F0} ms {stall.What}");
            }
        }

        Console.WriteLine($"stream gaps of at least {minGapMs:F0} ms: {gapCount}, in {moments.Count} moments (overlapping gaps merged)");
        int explained = 0;
        foreach (var moment in moments)
        {
            if (traces.Any(t => t.Pauses.Sum(p => p.Overlap(moment.StartMs, moment.EndMs)) >= moment.LargestMs / 2))
            {
                explained++;
            }
        }

        Console.WriteLine($"  moments at least half covered by a GC pause of some process: {explained} of {moments.Count}");
        foreach (var moment in moments.Take(top))
        {
            var at = DateTime.UnixEpoch.AddMilliseconds(moment.StartMs);
            Console.WriteLine($"  {at:HH:mm:ss.fff} largest gap {moment.LargestMs:F0} ms, {moment.Streams} stream(s), window {moment.EndMs - moment.StartMs:F0} ms");
            foreach (var trace in traces)
            {
                var parts = new List<string>();
                var overlapping = trace.Pauses.Where(p => p.Overlap(moment.StartMs, moment.EndMs) > 0).ToList();
                if (overlapping.Count > 0)
                {
                    var big = overlapping.MaxBy(p => p.Ms);
                    parts.Add($"GC pauses {overlapping.Sum(p => p.Overlap(moment.StartMs, moment.EndMs)):F0} ms of it (largest {big.Ms:F0} ms {big.What})");
                }

                int starved = trace.Starvation.Count(t => t >= moment.StartMs && t <= moment.EndMs + 500);
                if (starved > 0)
                {
                    parts.Add($"{starved} starvation injection(s)");
                }

                var locks = trace.Contention.Where(c => c.Overlap(moment.StartMs, moment.EndMs) > 0).ToList();
                if (locks.Count > 0)
                {
                    parts.Add($"{locks.Count} lock wait(s), max {locks.Max(c => c.Ms):F0} ms");
                }

                foreach (var line in trace.LogLines.Where(l => l.StartMs >= moment.StartMs - LogLeadMs && l.StartMs <= moment.EndMs))
                {
                    parts.Add($"[{line.StartMs - moment.StartMs:+0;-0} ms] {line.What}");
                }

                Console.WriteLine($"    {trace.Label}: {(parts.Count > 0 ? string.Join("; ", parts) : "nothing traced")}");
            }
        }
    }

    private static double Percentile(List<Span> spans, double p)
    {
        if (spans.Count == 0)
        {
            return 0;
        }

        var sorted = spans.Select(s => s.Ms).OrderBy(x => x).ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
