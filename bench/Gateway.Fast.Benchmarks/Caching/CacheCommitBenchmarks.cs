using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Caching;

/// <summary>
/// What a cacheable MISS now does before its response completes, at one request in flight: capture a 2 KiB answer and
/// store it (the commit the client's last byte waits on), with and without leading the key's flight. The baseline is the
/// capture alone (what the client waited on when the store came after the response), so the ratio is the cost of
/// committing first and of the no-stampede table.
/// </summary>
[MemoryDiagnoser]
public class CacheCommitBenchmarks
{
    private const long Now = 1_700_000_000_000;
    private readonly HeaderDictionary _headers = new() { ["Content-Type"] = "application/json" };
    private readonly CacheRecorder _recorder = new();
    private readonly CacheFlights _flights = new();
    private string _directory = "";
    private FasterCacheStore _store = null!;
    private byte[] _body = [];
    private CacheKey[] _keys = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gwfast-bench-" + Guid.NewGuid().ToString("N"));
        _store = FasterCacheStore.Open(_directory, new FasterCacheOptions { PageSizeBits = 22, MemorySizeBits = 26, IndexSizeBits = 20 });
        _body = new byte[2048 - 80];
        _body.AsSpan().Fill((byte)'x');

        // A few keys reused in turn: each commit is an upsert of a resident record, as in a steady state of misses.
        _keys = new CacheKey[Loop.Count];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = CacheKey.ForCustomKey("gw", 0, "bench-" + i);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _recorder.Dispose();
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public int CaptureOnly()
    {
        int length = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _recorder.Start(200, _headers, eventStream: false);
            _recorder.Append(_body);
            length += _recorder.Length;
            _recorder.Abandon();
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int CaptureAndCommit()
    {
        int stored = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _recorder.Start(200, _headers, eventStream: false);
            _recorder.Append(_body);
            stored += _recorder.CommitAsync(_store, _keys[i], Now, 600).GetAwaiter().GetResult() ? 1 : 0;
        }

        return stored;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int LeadCaptureCommitLand()
    {
        int stored = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _flights.TryLead(_keys[i], out var flight, out _);
            _recorder.Start(200, _headers, eventStream: false);
            _recorder.Append(_body);
            stored += _recorder.CommitAsync(_store, _keys[i], Now, 600).GetAwaiter().GetResult() ? 1 : 0;
            flight!.Land();
        }

        return stored;
    }
}
