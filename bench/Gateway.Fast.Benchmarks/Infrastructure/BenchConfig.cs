using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;

namespace Gateway.Fast.Benchmarks.Infrastructure;

/// <summary>The one configuration every benchmark runs under: a short job on workstation, non-concurrent GC.</summary>
/// <remarks>
/// Workstation non-concurrent GC makes <see cref="MemoryDiagnoser"/> count allocations deterministically (Garnet's
/// BDN.benchmark/Program.cs), which <c>--check-allocations</c> relies on. Three warmups and eight measured iterations of
/// 250 ms keep a full run on a 2-core machine near five minutes; the timings are for ratios within one run, not for
/// publishing.
/// </remarks>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance); // loggers, default columns, CSV/HTML/Markdown exporters
        AddJob(Job.Default
            .WithId("Short")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithGcServer(false)
            .WithGcConcurrent(false)
            .WithGcForce(true));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BaselineRatioColumn.RatioMean, BaselineAllocationRatioColumn.RatioMean);
        AddExporter(JsonExporter.FullCompressed); // read by --check-results
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(60);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
