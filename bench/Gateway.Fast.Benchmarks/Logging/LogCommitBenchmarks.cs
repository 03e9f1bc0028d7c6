using BenchmarkDotNet.Attributes;
using Gateway.Fast.Logging;
using Gateway.Fast.Utilities;

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
public class LogCommitBenchmarks
{
    private readonly BodyCapture _response = new();
    private string _directory = "";
    private FasterLogStore _store = null!;
    private long _clock = LogBenchRows.CreatedAt;

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

    [Benchmark]
    public long AppendOneAndCommit()
    {
        LogBenchRows.Append(_store, Ulid.NewUlid(++_clock), _clock, bodies: true, _response);
        _store.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _store.Committed;
    }
}
