using System.Buffers.Binary;
using Capacity.Model;
using Capacity.Report;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Loadtests;

/// <summary>
/// The capacity report's writer on a small recorded run (<c>capacity-sample.json</c>): no load is generated. The sample's
/// gateway keeps p99 under 1 ms up to 500 RPS, under 5 ms up to 1,000 and under 10 ms up to 1,500; 2,000 misses, and
/// 2,500 passes again by luck, which must not count.
/// </summary>
public sealed class CapacityReportTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static CapacityRun LoadSample() =>
        RunJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Loadtests", "capacity-sample.json")));

    private static TargetResult Target(CapacityRun run, string name) => run.Targets.Single(t => t.Name == name);

    [Fact]
    public void MaxRateUnder_TakesTheHighestRateBelowTheFirstMiss()
    {
        var gateway = Target(LoadSample(), "gateway");

        Assert.Equal(500, Analysis.MaxRateUnder(gateway, 1)?.OfferedRps);
        Assert.Equal(1000, Analysis.MaxRateUnder(gateway, 5)?.OfferedRps);
        Assert.Equal(1500, Analysis.MaxRateUnder(gateway, 10)?.OfferedRps);
    }

    [Fact]
    public void MaxRateUnder_CountsAStepWithTooManyErrorsAsAMiss()
    {
        var yarp = Target(LoadSample(), "yarp");

        // 1,600 RPS kept p99 at 0.9 ms but failed 100 of 2,500 requests; 2,400 after it must not count either.
        Assert.Equal(800, Analysis.MaxRateUnder(yarp, 1)?.OfferedRps);
        Assert.Equal(800, Analysis.MaxRateUnder(yarp, 10)?.OfferedRps);
    }

    [Fact]
    public void AddedAtOne_IsTheTargetsLatencyMinusDirects()
    {
        var run = LoadSample();

        var (p50, p99) = Analysis.AddedAtOne(Target(run, "gateway"), Target(run, "direct"));

        Assert.Equal(0.15, p50);
        Assert.Equal(0.3, p99);
    }

    [Fact]
    public void AddedTtfb_IsTheTargetsStreamTtfbMinusDirectsAtTheSameConcurrency()
    {
        var run = LoadSample();

        var (p50, p99) = Analysis.AddedTtfb(Target(run, "gateway"), Target(run, "direct"), 8);

        Assert.Equal(0.4, p50);
        Assert.Equal(1.5, p99);
        Assert.Equal((null, null), Analysis.AddedTtfb(Target(run, "gateway"), Target(run, "direct"), 32)); // not measured
    }

    [Fact]
    public void Write_HoldsTheGatewaysAddedStreamTtfbAgainstYarps()
    {
        using var folder = new TempDirectory();

        ReportWriter.Write(LoadSample(), folder.Path);

        string markdown = File.ReadAllText(Path.Combine(folder.Path, ReportWriter.MarkdownFile));
        Assert.Contains("## Stream time to first byte", markdown);
        // At one stream the gateway adds 0.25 ms at p50 (YARP 0.3) but 1.1 at p99 (YARP 0.8); at eight it adds less at both.
        Assert.Contains("| gateway | 1 | 0.450 | 1.500 | 0.250 | 1.100 | ✓ ✗ |", markdown);
        Assert.Contains("| gateway | 8 | 0.900 | 2.500 | 0.400 | 1.500 | ✓ ✓ |", markdown);
        Assert.Contains("| yarp | 8 | 1.000 | 3.000 | 0.500 | 2.000 | – |", markdown);
        Assert.Contains("| direct | 1 | 0.200 | 0.400 | – | – | – |", markdown);
        Assert.Contains("- **Stream time to first byte**: C = 1, 8 unpaced streams always in flight, 1 s each after a discarded warm-up.", markdown);
    }

    [Fact]
    public void Write_OmitsStreamTtfb_ForARunMadeBeforeItWasMeasured()
    {
        using var folder = new TempDirectory();
        var run = LoadSample();
        foreach (var target in run.Targets)
        {
            target.StreamTtfb.Clear();
        }

        ReportWriter.Write(run, folder.Path);

        Assert.DoesNotContain("## Stream time to first byte", File.ReadAllText(Path.Combine(folder.Path, ReportWriter.MarkdownFile)));
    }

    [Fact]
    public void Write_SaysWhereTheCoresWentWhileStreamsWereHeld()
    {
        using var folder = new TempDirectory();

        ReportWriter.Write(LoadSample(), folder.Path);

        // 2,000 streams over 5.5 s: 5 + 3.2 + 2.8 = 11 CPU seconds, 2 cores busy, all of it these three; 5 s over 503,470 events.
        string markdown = File.ReadAllText(Path.Combine(folder.Path, ReportWriter.MarkdownFile));
        Assert.Contains("| gateway (gateway) | 2,000 | 5.5 | 5.0 | 3.2 | 2.8 | 2.00 of 2 | 2.00 | 9.9 |", markdown);
        Assert.DoesNotContain("| gateway (gateway) | 1,000 | 4.5 |", markdown); // a level without CPU readings has no row
    }

    [Fact]
    public void Write_ProducesTheSummaryTheRawJsonAndEveryChart()
    {
        using var folder = new TempDirectory();
        var run = LoadSample();

        ReportWriter.Write(run, folder.Path);

        string markdown = File.ReadAllText(Path.Combine(folder.Path, ReportWriter.MarkdownFile));
        Assert.Contains("| gateway | 500 | 1,000 | 1,500 | 2,500 (32) |", markdown);
        Assert.Contains("| yarp | 800 | 800 | 800 | 4,000 (32) |", markdown);
        Assert.Contains("| direct | 3,600 | 5,400 | 5,400 | 9,000 (32) |", markdown);
        Assert.Contains("- **gateway**: 2 cores hold **500 RPS at p99 < 1 ms**, **1,000 RPS at p99 < 5 ms**, **1,500 RPS at p99 < 10 ms**; "
            + "at 250 µs of CPU per request, each core given to the gateway process serves about 4,000 RPS.", markdown);
        Assert.Contains("| gateway | gateway | 250.0 | 4,000 | 200.0 (1) |", markdown);
        Assert.Contains("| gateway | 0.400 | 0.700 | 0.150 | 0.300 |", markdown);
        Assert.Contains("| gateway (gateway) | 2,000 | 1,990 | 1,990 | 10 | 503,470 / 506,000 | 95 (60) ✓ | 280 | 380 | 400 | 51.5 |", markdown);
        Assert.Contains("- gateway at 2,000: first failure: `HTTP 502`", markdown);
        Assert.Contains("| gateway | 20,000 | 2 | 9,900 |", markdown);
        Assert.Contains("commit `abc1234`", markdown);
        Assert.Contains("Load average when the run began: 0.4.", markdown);
        Assert.DoesNotContain("Quick run", markdown);

        var reread = RunJson.Deserialize(File.ReadAllText(Path.Combine(folder.Path, ReportWriter.JsonFile)));
        Assert.Equal(RunJson.Serialize(run), RunJson.Serialize(reread));

        foreach (string chart in new[] { Charts.LatencyVsRps, Charts.ThroughputVsConcurrency, Charts.CpuPerRequest, Charts.StreamsVsMemory })
        {
            Assert.Contains($"]({chart})", markdown);
            byte[] png = File.ReadAllBytes(Path.Combine(folder.Path, chart));
            Assert.Equal(PngSignature, png[..8]);
            // IHDR follows the signature: width and height, big-endian, at bytes 16 and 20.
            Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(600, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        }
    }

    [Fact]
    public void Write_ShowsTheManagedHeapPerStream_AndWhetherEachLevelHadFreshProcesses()
    {
        using var folder = new TempDirectory();
        string sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Loadtests", "capacity-sample.json"));
        string json = sample
            .Replace("\"kib_per_stream\": 51.5,", "\"kib_per_stream\": 51.5, \"heap_before_mib\": 120.0, \"heap_held_mib\": 180.0, \"heap_kib_per_stream\": 30.9,", StringComparison.Ordinal)
            .Replace("\"stream_hold_seconds\": 2.0,", "\"stream_hold_seconds\": 2.0, \"fresh_process_per_stream_level\": true,", StringComparison.Ordinal);
        Assert.NotEqual(sample, json);

        ReportWriter.Write(RunJson.Deserialize(json), folder.Path);

        string markdown = File.ReadAllText(Path.Combine(folder.Path, ReportWriter.MarkdownFile));
        Assert.Contains("| 280 | 380 | 400 | 51.5 | 120 → 180 | 30.9 |", markdown);
        Assert.Contains("| 260 | 310 | 330 | 51.2 | – | – |", markdown); // a level measured without the heap
        Assert.Contains("Every level ran against a simulator and gateway started afresh for it", markdown);
        Assert.DoesNotContain("so each level starts from what the last one left", markdown);
    }

    [Fact]
    public void Write_LabelsAQuickRunAsNotForPlanning()
    {
        using var folder = new TempDirectory();
        string json = RunJson.Serialize(LoadSample()).Replace("\"mode\": \"full\"", "\"mode\": \"quick\"", StringComparison.Ordinal);

        ReportWriter.Write(RunJson.Deserialize(json), folder.Path);

        string markdown = File.ReadAllText(Path.Combine(folder.Path, ReportWriter.MarkdownFile));
        Assert.StartsWith("# Capacity report\n\n> **Quick run (`--quick`).**", markdown.ReplaceLineEndings("\n"));
    }
}
