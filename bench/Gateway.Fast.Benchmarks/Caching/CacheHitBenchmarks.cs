using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Fast.Benchmarks.Caching;

/// <summary>
/// The cache HIT path once the key is known: the entry read from the store's memory into a pooled buffer, then replayed
/// (status, stored headers, <c>cf-aig-cache-status</c>, Content-Length, the body written and flushed) into a reused
/// response, the way <c>CacheStage</c> answers a HIT. The entry is the simulator's chat completion (662 B of JSON).
/// </summary>
/// <remarks>The baseline decodes every stored header name and value into new strings, as the replay did before. Both
/// allocate the Content-Length text (32 B): this benchmark's <see cref="DefaultHttpContext"/> keeps that header as a
/// string, where Kestrel's response headers keep the number.</remarks>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private const long Now = 1_700_000_000_000;
    private string _directory = "";
    private FasterCacheStore _store = null!;
    private CacheKey _key;
    private DefaultHttpContext _http = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gwfast-bench-" + Guid.NewGuid().ToString("N"));
        _store = FasterCacheStore.Open(_directory, new FasterCacheOptions { PageSizeBits = 22, MemorySizeBits = 24, IndexSizeBits = 20 });
        _key = CacheKey.ForCustomKey("gw", 0, "bench");
        var body = new byte[662];
        body.AsSpan().Fill((byte)'x');
        var entry = CacheEntry.Create(200, new HeaderDictionary { ["Content-Type"] = "application/json" }, false, body, Now, long.MaxValue);
        _store.SetAsync(_key, entry).AsTask().GetAwaiter().GetResult();
        _http = new DefaultHttpContext();
        _http.Response.Body = Stream.Null;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public long DecodeEveryHeader()
    {
        long bytes = 0;
        var response = _http.Response;
        for (int i = 0; i < Loop.Count; i++)
        {
            response.Headers.Clear();
            using var hit = _store.GetAsync(_key, Now).GetAwaiter().GetResult();
            response.StatusCode = hit.StatusCode;
            foreach (var header in hit.Headers)
            {
                string name = Encoding.UTF8.GetString(header.Name);
                string value = Encoding.UTF8.GetString(header.Value);
                var existing = response.Headers[name];
                response.Headers[name] = existing.Count == 0 ? new StringValues(value) : StringValues.Concat(existing, value);
            }

            response.Headers[CacheHeaders.Status] = CacheHeaders.Hit;
            response.ContentLength = hit.Body.Length;
            response.BodyWriter.Write(hit.Body);
            response.BodyWriter.FlushAsync().GetAwaiter().GetResult();
            bytes += hit.Body.Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public long Replay()
    {
        long bytes = 0;
        var response = _http.Response;
        for (int i = 0; i < Loop.Count; i++)
        {
            response.Headers.Clear();
            using var hit = _store.GetAsync(_key, Now).GetAwaiter().GetResult();
            CacheReplay.WriteAsync(response, hit, CancellationToken.None).GetAwaiter().GetResult();
            bytes += hit.Body.Length;
        }

        return bytes;
    }
}
