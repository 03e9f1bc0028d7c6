using BenchmarkDotNet.Attributes;
using Gateway.Fast.Logging;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// A request log store in a temporary folder, holding at most 100k rows (<c>DELETE_OLDEST</c>) as a gateway that has
/// been running a while does, and the chat completion's response body captured once: what the benchmarks that append
/// rows and commit them share.
/// </summary>
public abstract class LogStoreBenchmarks
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

    /// <summary>Appends one row with a new id, a millisecond after the last, as the record stage does.</summary>
    private protected void AppendRow(bool bodies)
        => LogBenchRows.Append(_store, Ulid.NewUlid(++_clock), _clock, bodies, _response);

    /// <summary>Waits for what was appended to be committed; returns the rows committed so far.</summary>
    private protected long Commit()
    {
        _store.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _store.Committed;
    }
}
