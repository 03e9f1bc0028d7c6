using BenchmarkDotNet.Attributes;
using Gateway.Fast.Logging;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// What one commit of the request log costs beside its rows: a row appended, then a flush, which commits it. The writer
/// commits every 100 ms whatever the load, so this is a fixed ten a second of a running gateway.
/// </summary>
/// <remarks>
/// The commit's record goes to the log's commit file (<see cref="LogCommitSlots"/>): one write in place. FASTER's own
/// manager created a file, a device and its handles for every commit and deleted the previous one.
/// </remarks>
[MemoryDiagnoser]
public class LogCommitBenchmarks : LogStoreBenchmarks
{
    [Benchmark]
    public long AppendOneAndCommit()
    {
        AppendRow(bodies: true);
        return Commit();
    }
}
