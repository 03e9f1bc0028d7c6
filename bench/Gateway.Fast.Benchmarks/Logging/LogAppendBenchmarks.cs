using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// The whole cost of logging one request: what the record stage does on the request thread (as
/// <c>RecordStage.AppendAsync</c>) plus the writer's work, up to the commit (each invocation ends with a flush).
/// </summary>
/// <remarks>
/// The store holds a steady 100k rows (<see cref="LogStoreBenchmarks"/>), so the writer's retention work is in the
/// figure. B/op includes the 26-character log id (80 B), which the gateway makes for the <c>cf-aig-log-id</c> header
/// whether or not it logs.
/// </remarks>
[MemoryDiagnoser]
public class LogAppendBenchmarks : LogStoreBenchmarks
{
    [Params(false, true)]
    public bool Bodies { get; set; }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public long AppendAndCommit()
    {
        for (int i = 0; i < Loop.Count; i++)
        {
            AppendRow(Bodies);
        }

        return Commit();
    }
}
