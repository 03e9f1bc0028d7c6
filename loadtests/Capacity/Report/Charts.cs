using Capacity.Model;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Capacity.Report;

/// <summary>The report's PNG charts, drawn with ScottPlot (SkiaSharp underneath, no native dependencies on Linux).</summary>
internal static class Charts
{
    public const string LatencyVsRps = "latency-vs-rps.png";
    public const string ThroughputVsConcurrency = "throughput-vs-concurrency.png";
    public const string CpuPerRequest = "cpu-per-request.png";
    public const string StreamsVsMemory = "streams-vs-memory.png";

    private const int Width = 1000;
    private const int Height = 600;

    /// <summary>Writes every chart the run has data for into <paramref name="folder"/>; returns the file names written.</summary>
    public static List<string> WriteAll(CapacityRun run, string folder)
    {
        var written = new List<string>();
        if (run.Targets.Any(static t => t.Open.Count > 0))
        {
            Save(DrawLatencyVsRps(run), folder, LatencyVsRps, written);
        }

        if (run.Targets.Any(static t => t.Closed.Count > 0))
        {
            Save(DrawThroughput(run), folder, ThroughputVsConcurrency, written);
            Save(DrawCpu(run), folder, CpuPerRequest, written);
        }

        if (run.Streams.Any(static s => s.Levels.Count > 0))
        {
            Save(DrawStreams(run), folder, StreamsVsMemory, written);
        }

        return written;
    }

    /// <summary>Open loop: p99 from the intended send time against the rate answered, on a log scale, one line per target.</summary>
    private static Plot DrawLatencyVsRps(CapacityRun run)
    {
        var plot = new Plot();
        double lowest = Math.Log10(Analysis.Thresholds[0]) - 1;
        double highest = Math.Log10(Analysis.Thresholds[^1]) + 1;
        foreach (var target in run.Targets)
        {
            var steps = target.Open.Where(static s => s.Latency.P99 > 0).OrderBy(static s => s.OfferedRps).ToArray();
            if (steps.Length == 0)
            {
                continue;
            }

            lowest = Math.Min(lowest, Math.Floor(Math.Log10(steps.Min(static s => s.Latency.P99!.Value))));
            highest = Math.Max(highest, Math.Ceiling(Math.Log10(steps.Max(static s => s.Latency.P99!.Value))));

            var line = plot.Add.Scatter(steps.Select(static s => s.AchievedRps).ToArray(),
                steps.Select(static s => Math.Log10(s.Latency.P99!.Value)).ToArray());
            line.LegendText = target.Name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }

        foreach (double threshold in Analysis.Thresholds)
        {
            var rule = plot.Add.HorizontalLine(Math.Log10(threshold));
            rule.LinePattern = LinePattern.Dashed;
            rule.Color = Colors.Gray;
        }

        LogScale(plot.Axes.Left);
        // Whole decades, so the 0.1 / 1 / 10 / 100 ms labels and every threshold line are always on the chart.
        plot.Axes.SetLimitsY(lowest, highest);
        Label(plot, "p99 latency (open loop, from each request's intended send time) vs answered RPS", "answered requests per second",
            "p99 latency, ms (log scale; dashed: 1, 5, 10 ms)");
        return plot;
    }

    /// <summary>Closed loop: answers per second at each concurrency, concurrency on a log2 axis.</summary>
    private static Plot DrawThroughput(CapacityRun run)
    {
        var plot = new Plot();
        foreach (var target in run.Targets.Where(static t => t.Closed.Count > 0))
        {
            var steps = target.Closed.OrderBy(static s => s.Concurrency).ToArray();
            var line = plot.Add.Scatter(steps.Select(static s => Math.Log2(s.Concurrency)).ToArray(),
                steps.Select(static s => s.Rps).ToArray());
            line.LegendText = target.Name;
            line.LineWidth = 2;
        }

        int[] levels = run.Targets.SelectMany(static t => t.Closed).Select(static s => s.Concurrency).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new NumericManual(levels.Select(static c => Math.Log2(c)).ToArray(),
            levels.Select(static c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Label(plot, "Throughput (closed loop) vs requests in flight", "requests in flight (log scale)", "requests per second");
        return plot;
    }

    /// <summary>CPU time of each target's process per request at c=32 (or the nearest level), one bar per target.</summary>
    private static Plot DrawCpu(CapacityRun run)
    {
        var plot = new Plot();
        var rows = run.Targets.Select(static t => (t.Name, Step: Analysis.CpuReference(t)))
            .Where(static r => r.Step?.CpuUsPerRequest is not null).ToArray();
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Length; i++)
        {
            double value = rows[i].Step!.CpuUsPerRequest!.Value;
            bars.Add(new Bar
            {
                Position = i,
                Value = value,
                FillColor = plot.Add.Palette.GetColor(i),
                Label = value.ToString("F0", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickGenerator = new NumericManual(Enumerable.Range(0, rows.Length).Select(static i => (double)i).ToArray(),
            rows.Select(static r => r.Name).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        Label(plot, $"CPU time per request of the target's process (closed loop, c={Analysis.CpuConcurrency})", "",
            "CPU microseconds per request");
        return plot;
    }

    /// <summary>RSS of each stream target while its streams were held, and its peak, against the number held.</summary>
    private static Plot DrawStreams(CapacityRun run)
    {
        var plot = new Plot();
        foreach (var target in run.Streams.Where(static s => s.Levels.Count > 0))
        {
            var levels = target.Levels.OrderBy(static l => l.Streams).ToArray();
            // Each line starts at the RSS before the first level, with no stream open.
            double[] held = [0, .. levels.Select(static l => (double)l.MaxOpen)];
            double idle = levels[0].RssBeforeMib;
            var rss = plot.Add.Scatter(held, [idle, .. levels.Select(static l => l.RssHeldMib)]);
            rss.LegendText = $"{target.Target} ({target.Process}): RSS while held";
            rss.LineWidth = 2;
            var peak = plot.Add.Scatter(held, [idle, .. levels.Select(static l => l.RssPeakMib)]);
            peak.LegendText = $"{target.Target} ({target.Process}): peak RSS";
            peak.LinePattern = LinePattern.Dashed;
            peak.Color = rss.Color;
        }

        Label(plot, "Memory of the target's process vs concurrent streams held", "streams open at once", "RSS, MiB");
        return plot;
    }

    private static void LogScale(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = static y => Math.Pow(10, y).ToString(y >= 0 ? "N0" : "G3", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static void Label(Plot plot, string title, string x, string y)
    {
        plot.Title(title, size: 16);
        plot.XLabel(x, size: 14);
        plot.YLabel(y, size: 14);
        plot.ShowLegend(Alignment.UpperLeft);
    }

    private static void Save(Plot plot, string folder, string name, List<string> written)
    {
        plot.SavePng(Path.Combine(folder, name), Width, Height);
        written.Add(name);
    }
}
