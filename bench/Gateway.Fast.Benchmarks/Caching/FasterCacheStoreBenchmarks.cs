using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Caching;

/// <summary>A cache HIT of a 2 KiB entry resident in the hybrid log's memory: read, copy into a pooled buffer, validate, dispose.</summary>
[MemoryDiagnoser]
public class FasterCacheStoreBenchmarks
{
    private const long Now = 1_700_000_000_000;
    private string _directory = "";
    private FasterCacheStore _store = null!;
    private CacheKey _key;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gwfast-bench-" + Guid.NewGuid().ToString("N"));
        _store = FasterCacheStore.Open(_directory, new FasterCacheOptions { PageSizeBits = 22, MemorySizeBits = 24, IndexSizeBits = 20 });
        _key = CacheKey.ForCustomKey("gw", 0, "bench");
        var body = new byte[2048 - 80];
        body.AsSpan().Fill((byte)'x');
        var entry = CacheEntry.Create(200, new HeaderDictionary { ["Content-Type"] = "application/json" }, false, body, Now, long.MaxValue);
        _store.SetAsync(_key, entry).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int TryGetHit()
    {
        int bytes = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _store.TryGet(_key, Now, out var hit);
            bytes += hit.Body.Length;
            hit.Dispose();
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int GetAsyncHit()
    {
        int bytes = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            var hit = _store.GetAsync(_key, Now).GetAwaiter().GetResult();
            bytes += hit.Body.Length;
            hit.Dispose();
        }

        return bytes;
    }
}
