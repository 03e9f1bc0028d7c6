using BenchmarkDotNet.Attributes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// A store holding 100k committed rows of one gateway: how much managed memory they keep alive (printed at setup, as
/// <c>GC.GetTotalMemory(true)</c> after the rows minus before them), and what listing the first page costs over them.
/// </summary>
[MemoryDiagnoser]
public class LogStoreMemoryBenchmarks
{
    public const int Rows = 100_000;

    private string _directory = "";
    private FasterLogStore _store = null!;
    private LogQuery _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = LogBenchRows.NewDirectory();
        // Small log and index buffers, so the figure is the rows the store keeps, not FASTER's (bounded) page buffers.
        _store = FasterLogStore.Open(_directory, new FasterLogStoreOptions
        {
            PageSizeBits = 16,
            MemorySizeBits = 18,
            SegmentSizeBits = 26,
            IndexMemorySizeBits = 20,
        });
        _query = LogQueryParser.TryParse("", LogQueryMode.List, out var query, out _) ? query : throw new InvalidOperationException();
        // Warm the row-buffer pool first: what it keeps is bounded (LogBufferPool), not per row.
        LogBufferPool.Return(LogBufferPool.Rent(1));
        for (var i = 0; i < 4_096; i++)
        {
            LogBufferPool.Return(new byte[1024]);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        LogBenchRows.Fill(_store, Rows);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// RetainedBytes: {after - before} for {Rows} rows ({(after - before) / (double)Rows:F1} B/row)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The logs API's default list (page 1 of 20, newest first) over all 100k rows.</summary>
    [Benchmark]
    public int ListFirstPage() => LogQueryEngine.List(_store.Scan("bench"), _query).Rows.Count;
}
