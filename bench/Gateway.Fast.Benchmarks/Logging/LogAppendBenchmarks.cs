using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Logging;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// The whole cost of logging one request: what the record stage does on the request thread (as
/// <c>RecordStage.AppendAsync</c>) plus the writer's work, up to the commit (each invocation ends with a flush).
/// </summary>
/// <remarks>
/// The store holds a steady 100k rows (<c>DELETE_OLDEST</c>), as a gateway that has been running a while does, so the
/// writer's retention work is in the figure. B/op includes the 26-character log id (80 B), which the gateway makes for
/// the <c>cf-aig-log-id</c> header whether or not it logs.
/// </remarks>
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    private readonly BodyCapture _response = new();
    private string _directory = "";
    private FasterLogStore _store = null!;
    private long _clock = LogBenchRows.CreatedAt;

    [Params(false, true)]
    public bool Bodies { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = LogBenchRows.NewDirectory();
        _store = FasterLogStore.Open(_directory, LogBenchRows.Options(maxRows: 100_000));
        _response.Append(LogBenchRows.ResponseBody);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _response.Reset();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public long AppendAndCommit()
    {
        for (int i = 0; i < Loop.Count; i++)
        {
            Append(Ulid.NewUlid(++_clock));
        }

        _store.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _store.Committed;
    }

    private void Append(string id) => LogBenchRows.Append(_store, id, _clock, Bodies, _response);
}
