using System.Diagnostics;
using System.Globalization;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// Fills one gateway's log store with millions of rows through the writer (as the record stage appends them), then
/// prints the memory the process holds and the time of the logs API's queries over them: page 1 of the list, a filtered
/// list, a get by id, analytics over an hour. Not a BenchmarkDotNet class: one fill takes minutes, so each query is
/// timed a few times on the one store and the median printed.
/// </summary>
/// <remarks><c>dotnet run -c Release --project bench/Gateway.Fast.Benchmarks -- --log-scale 10000000 [--no-bodies] [--dir path] [--index-bits 23]</c></remarks>
internal static class LogScaleRun
{
    private static readonly string[] Models = ["gpt-4o-mini", "gpt-4o", "claude-3-5-haiku", "gemini-1.5-flash", "llama-3.1-8b"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(args[Array.IndexOf(args, "--log-scale") + 1], CultureInfo.InvariantCulture);
        var bodies = !args.Contains("--no-bodies");
        var dirAt = Array.IndexOf(args, "--dir");
        var directory = dirAt >= 0 ? Path.Combine(args[dirAt + 1], "logs-" + Guid.NewGuid().ToString("N")) : LogBenchRows.NewDirectory();
        var indexAt = Array.IndexOf(args, "--index-bits");
        var options = indexAt < 0
            ? new FasterLogStoreOptions() // the gateway's defaults: the figures are what a deployment gets
            : new FasterLogStoreOptions { IndexSizeBits = int.Parse(args[indexAt + 1], CultureInfo.InvariantCulture) };
        Console.WriteLine($"rows {rows:N0}, bodies {(bodies ? "on" : "off")}, folder {directory}");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        var idle = Memory();
        try
        {
            await using var store = FasterLogStore.Open(directory, options);
            Console.WriteLine($"open:  {idle}");

            var fill = Stopwatch.StartNew();
            Fill(store, rows, bodies);
            await store.FlushAsync(CancellationToken.None);
            fill.Stop();
            Console.WriteLine($"fill:  {fill.Elapsed.TotalSeconds:F1} s, {rows / fill.Elapsed.TotalSeconds:N0} rows/s, folder {FolderBytes(directory) / 1048576.0:N0} MiB");
            Console.WriteLine($"after: {Memory()}; metadata store {store.MetadataBytes / 1048576.0:N0} MiB (memory budget {(1L << options.MetadataMemorySizeBits) / 1048576} MiB), "
                + $"id index {store.IndexBytes / 1048576.0:N0} MiB (hash table {(1L << options.IndexSizeBits) / 1048576} MiB, memory budget {(1L << options.IndexMemorySizeBits) / 1048576} MiB), "
                + $"overflow buckets {store.IndexOverflowBuckets:N0} ({store.IndexOverflowBuckets * 64 / 1048576.0:N1} MiB)");

            Time("list page 1 (newest first, 20 rows)", 7, () => LogQueryEngine.List(store.Scan("bench"), Query("")).Rows.Count);
            Time("list page 50 (per_page=100)", 3, () => LogQueryEngine.List(store.Scan("bench"), Query("?page=50&per_page=100")).Rows.Count);
            Time("filtered: model=gpt-4o, success=false", 3, () => LogQueryEngine.List(store.Scan("bench"),
                Query("?filters.key=model&filters.operator=eq&filters.value=gpt-4o&filters.key=success&filters.operator=eq&filters.value=false")).TotalCount);
            Time("first 5000 rows (decode only)", 3, () => store.Scan("bench").Take(5000).Count());
            Time("scan every row (decode only)", 1, () => store.Scan("bench").Count());
            Time("get by id (oldest row)", 7, () => store.TryGet(IdOf(0), out _) ? 1 : 0);
            TimeLookups("get by id, random rows", store, rows, 0, rows);
            TimeLookups("get by id, among the newest 10,000", store, rows, Math.Max(0, rows - 10_000), rows);
            Time("get by id, absent", 7, () => store.TryGet("X" + IdOf(rows)[1..], out _) ? 1 : 0);
            Time("analytics, last hour by model", 3, () => LogAnalytics.Aggregate(store.Scan("bench"), Analytics(rows)).Count);
            Console.WriteLine($"end:   {Memory()}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    /// <summary>Rows as the record stage encodes them, one a millisecond, with the mix of models and failures a query picks from.</summary>
    private static void Fill(FasterLogStore store, int rows, bool bodies)
    {
        var response = new BodyCapture();
        response.Append(LogBenchRows.ResponseBody);
        for (var i = 0; i < rows; i++)
        {
            var success = i % 20 != 6; // one row in 20 fails, a quarter of them on gpt-4o
            var row = new LogRowFields
            {
                Id = IdOf(i),
                GatewayId = "bench",
                CreatedAtUnixMs = LogBenchRows.CreatedAt + i,
                Provider = "openai",
                Model = Models[i % Models.Length],
                ModelType = "chat",
                Path = "chat/completions",
                RequestType = "provider",
                Success = success,
                StatusCode = success ? 200 : 429,
                Duration = 3 + (i % 200),
                TimeToFirstTokenMs = 2,
                TokensIn = 27,
                TokensOut = 9,
                Cost = 0.0000095,
                RequestContentType = "application/json",
                ResponseContentType = "application/json",
                RequestSize = LogBenchRows.RequestBody.Length,
                ResponseSize = LogBenchRows.ResponseBody.Length,
                BodiesKept = bodies,
                UserAgent = "wrk",
            };
            var encoded = bodies
                ? LogRecordCodec.EncodeRow(in row, LogBenchRows.RequestBody, response.Memory.Span)
                : LogRecordCodec.EncodeRow(in row, default, default);
            var pending = store.AppendAsync(encoded, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }

            if (i > 0 && i % 1_000_000 == 0)
            {
                Console.WriteLine($"  {i:N0} rows, {Memory()}");
            }
        }
    }

    /// <summary>A 26-character id, like a ULID, that the run can name again to get the row back.</summary>
    private static string IdOf(int i) => i.ToString("D26", CultureInfo.InvariantCulture);

    private static void Time(string name, int runs, Func<int> query)
    {
        var times = new double[runs];
        var result = 0;
        for (var r = 0; r < runs; r++)
        {
            var started = Stopwatch.GetTimestamp();
            result = query();
            times[r] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name,-42} median {times[runs / 2],10:F1} ms  min {times[0],10:F1} ms  (result {result:N0})");
    }

    /// <summary>Times 1,000 lookups of ids drawn between <paramref name="from"/> and <paramref name="to"/>, one at a time,
    /// and prints the median and the 99th percentile of one lookup.</summary>
    private static void TimeLookups(string name, FasterLogStore store, int rows, int from, int to)
    {
        const int Lookups = 1_000;
        var random = new Random(42);
        var times = new double[Lookups];
        var found = 0;
        for (var i = 0; i < Lookups; i++)
        {
            var id = IdOf(random.Next(from, Math.Min(to, rows)));
            var started = Stopwatch.GetTimestamp();
            found += store.TryGet(id, out _) ? 1 : 0;
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name,-42} median {times[Lookups / 2],10:F3} ms  p99 {times[Lookups * 99 / 100],10:F3} ms  (found {found:N0} of {Lookups:N0})");
    }

    private static LogQuery Query(string text)
        => LogQueryParser.TryParse(text, LogQueryMode.List, out var query, out var errors) ? query : throw new ArgumentException(errors[0].Message);

    private static LogAnalyticsQuery Analytics(int rows)
    {
        var end = LogBenchRows.CreatedAt + rows;
        var text = $"start={end - 3_600_000}&end={end}&group_by=model";
        return LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out var query, out _) ? query : throw new ArgumentException(text);
    }

    private static string Memory()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return $"RSS {process.WorkingSet64 / 1048576.0:N0} MiB, managed {managed / 1048576.0:N1} MiB, GC heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:N1} MiB";
    }

    private static long FolderBytes(string directory)
        => new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(static f => f.Length);

    private static string RuntimeInformationText()
        => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
}
