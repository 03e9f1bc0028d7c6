using System.Diagnostics;
using System.Globalization;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// Fills one gateway's log store with millions of rows through the writer (as the record stage appends them), then
/// prints the memory the process holds and the time of the logs API's queries over them: page 1 of the list, filtered
/// lists, a get by id, analytics over the last hour, day and week and the dashboard's overview. Not a BenchmarkDotNet
/// class: one fill takes minutes, so each query is timed a few times on the one store and the median printed.
/// </summary>
/// <remarks>
/// <para><c>dotnet run -c Release --project bench/Gateway.Fast.Benchmarks -- --log-scale 10000000 [--no-bodies] [--dir path]
/// [--spacing-ms 60] [--gateway bench] [--keep data/logs | --open data/logs] [--index-bits 23] [--reopen] [--api-only] [--no-full-reads]</c></para>
/// <para>Rows end now, <c>--spacing-ms</c> apart (1 by default: 10 million rows are 2.8 hours; 60 spreads them over a
/// week). "before" is how the same answer is computed without the store's help: analytics from a scan of the range's rows,
/// a filtered list reading and decoding every row; "after" is the API's path (kept sums, blocks skipped by their
/// summaries, counts from the sums); <c>--api-only</c> times "after" alone (a "before" scan of 10 million rows takes minutes
/// a query), and <c>--no-full-reads</c> leaves out the filter that reads every block (a metadata value in all of them).
/// <c>--keep</c> fills that folder and leaves it, for a gateway to open
/// (loadtests/dashboard-first-paint.sh); <c>--open</c> queries a folder a <c>--keep</c> run filled (same row count and spacing)
/// without filling it again. <c>--reopen</c> closes the filled store (its last checkpoint), opens it again from
/// the checkpoint and queries that one, then at the end times an open that ignores the checkpoint and replays the whole log.</para>
/// </remarks>
internal static class LogScaleRun
{
    private static readonly string[] Models = ["gpt-4o-mini", "gpt-4o", "claude-3-5-haiku", "gemini-1.5-flash", "llama-3.1-8b"];
    private static readonly string[] Providers = ["openai", "openai", "anthropic", "google-ai-studio", "groq"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(args[Array.IndexOf(args, "--log-scale") + 1], CultureInfo.InvariantCulture);
        var bodies = !args.Contains("--no-bodies");
        var dirAt = Array.IndexOf(args, "--dir");
        var keepAt = Array.IndexOf(args, "--keep");
        var openAt = Array.IndexOf(args, "--open");
        keepAt = keepAt >= 0 ? keepAt : openAt;
        var directory = keepAt >= 0 ? args[keepAt + 1]
            : dirAt >= 0 ? Path.Combine(args[dirAt + 1], "logs-" + Guid.NewGuid().ToString("N")) : LogBenchRows.NewDirectory();
        var spacingAt = Array.IndexOf(args, "--spacing-ms");
        var spacing = spacingAt >= 0 ? long.Parse(args[spacingAt + 1], CultureInfo.InvariantCulture) : 1;
        var gatewayAt = Array.IndexOf(args, "--gateway");
        var gateway = gatewayAt >= 0 ? args[gatewayAt + 1] : "bench";
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var defaults = new FasterLogStoreOptions(); // the gateway's defaults: the figures are what a deployment gets
        var options = new FasterLogStoreOptions
        {
            IndexSizeBits = Bits(args, "--index-bits", defaults.IndexSizeBits),
            MemorySizeBits = Bits(args, "--memory-bits", defaults.MemorySizeBits),
            MetadataMemorySizeBits = Bits(args, "--metadata-bits", defaults.MetadataMemorySizeBits),
        };
        Console.WriteLine($"rows {rows:N0}, one every {spacing} ms ({rows * spacing / 3_600_000.0:N1} hours), bodies {(bodies ? "on" : "off")}, folder {directory}");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        var reopen = args.Contains("--reopen");
        var apiOnly = args.Contains("--api-only");
        var idle = Memory();
        try
        {
            Console.WriteLine($"idle:  {idle}");
            var opening = Stopwatch.StartNew();
            var store = FasterLogStore.Open(directory, options);
            Console.WriteLine($"open:  {opening.Elapsed.TotalSeconds:F2} s, {store.Rows:N0} rows, {Memory()}");
            if (openAt >= 0)
            {
                // The rows a --keep run left: the newest was written one spacing before that run's end.
                end = store.Scan(gateway).First().CreatedAtUnixMs + spacing;
                Console.WriteLine($"folder {FolderBytes(directory) / 1048576.0:N0} MiB");
            }
            else
            {
                var fill = Stopwatch.StartNew();
                Fill(store, gateway, rows, bodies, end - (rows * spacing), spacing);
                await store.FlushAsync(CancellationToken.None);
                fill.Stop();
                Console.WriteLine($"fill:  {fill.Elapsed.TotalSeconds:F1} s, {rows / fill.Elapsed.TotalSeconds:N0} rows/s, folder {FolderBytes(directory) / 1048576.0:N0} MiB");
            }

            if (reopen)
            {
                store = await ReopenAsync(store, directory, options);
            }

            await using var opened = store;
            Console.WriteLine($"after: {Memory()}; metadata store {store.MetadataBytes / 1048576.0:N0} MiB (memory budget {(1L << options.MetadataMemorySizeBits) / 1048576} MiB), "
                + $"id index {store.IndexBytes / 1048576.0:N0} MiB (hash table {(1L << options.IndexSizeBits) / 1048576} MiB, memory budget {(1L << options.IndexMemorySizeBits) / 1048576} MiB), "
                + $"overflow buckets {store.IndexOverflowBuckets:N0} ({store.IndexOverflowBuckets * 64 / 1048576.0:N1} MiB)");

            IEnumerable<LogRecord> Rows() => store.Scan(gateway);
            IEnumerable<LogRecord> EveryRow() => store.Scan(gateway).Select(static r => r); // not a LogRowScan: no block skipped, nothing counted from sums
            Time("list page 1 (newest first, 20 rows)", 21, () => LogQueryEngine.List(Rows(), Query("")).Rows.Count);
            Time("list page 50 (per_page=100)", 7, () => LogQueryEngine.List(Rows(), Query("?page=50&per_page=100")).Rows.Count);
            foreach (var (name, filter, runs) in new[]
            {
                ("filtered: model=gpt-4o", Filter("model", "gpt-4o"), 7),
                ("filtered: success=false", Filter("success", "false"), 7),
                ("filtered: model=gpt-4o, success=false", Filter("model", "gpt-4o") + "&" + Filter("success", "false")[1..], 7),
                ("filtered: metadata.value=c7 (1 %)", Filter("metadata.value", "c7"), 1), // in every block: reads them all
                ("filtered: metadata.value=c7, last 10 min", Filter("metadata.value", "c7") + $"&filters.key=created_at&filters.operator=gt&filters.value={end - 600_001}", 7),
            })
            {
                var query = Query(filter);
                if (runs == 1 && args.Contains("--no-full-reads"))
                {
                    continue;
                }

                if (!apiOnly)
                {
                    Time(name + ", before", 1, () => LogQueryEngine.List(EveryRow(), query).TotalCount);
                }

                Time(name + ", after", runs, () => LogQueryEngine.List(Rows(), query).TotalCount);
            }

            Time("first 5000 rows (decode only)", 3, () => store.Scan(gateway).Take(5000).Count());
            if (!apiOnly)
            {
                Time("scan every row (decode only)", 1, () => store.Scan(gateway).Count());
            }

            Time("get by id (oldest row)", 7, () => store.TryGet(IdOf(0), out _) ? 1 : 0);
            TimeLookups("get by id, random rows", store, rows, 0, rows);
            TimeLookups("get by id, among the newest 10,000", store, rows, Math.Max(0, rows - 10_000), rows);
            Time("get by id, absent", 7, () => store.TryGet("X" + IdOf(rows)[1..], out _) ? 1 : 0);
            foreach (var (name, span, bucket) in new[] { ("last hour", 3_600_000L, "minute"), ("last day", 86_400_000L, "hour"), ("last 7 days", 7 * 86_400_000L, "hour") })
            {
                // The dashboard overview's four queries for the range: totals, the series, the breakdown, the breakdown's series.
                var range = $"start={end + 1 - span}&end={end + 1}";
                LogAnalyticsQuery[] overview = [Analytics(range), Analytics($"{range}&bucket={bucket}"), Analytics($"{range}&group_by=model"), Analytics($"{range}&bucket={bucket}&group_by=model")];
                if (!apiOnly)
                {
                    Time($"analytics {name} by model, before", 1, () => LogAnalytics.Aggregate(store.Scan(gateway, overview[2].StartUnixMs, overview[2].EndUnixMs), overview[2]).Count);
                }

                Time($"analytics {name} by model, after", 5, () => LogAnalytics.Run(store, [gateway], overview[2]).Count);
                if (!apiOnly)
                {
                    Time($"overview {name} (4 queries), before", 1, () => overview.Sum(q => LogAnalytics.Aggregate(store.Scan(gateway, q.StartUnixMs, q.EndUnixMs), q).Count));
                }

                Time($"overview {name} (4 queries), after", 5, () => overview.Sum(q => LogAnalytics.Run(store, [gateway], q).Count));
            }

            Console.WriteLine($"end:   {Memory()}");
            if (reopen)
            {
                await store.DisposeAsync();
                var replay = Stopwatch.StartNew();
                await using var replayed = FasterLogStore.Open(directory, new FasterLogStoreOptions { RecoverCheckpoint = false, IndexSizeBits = options.IndexSizeBits });
                replay.Stop();
                Console.WriteLine($"open replaying the whole log: {replay.Elapsed.TotalSeconds:F1} s ({replayed.Rows:N0} rows), {Memory()} (after the run above: RSS is not an idle figure)");
            }
        }
        finally
        {
            if (keepAt < 0)
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        return 0;
    }

    /// <summary>Closes the filled store (which takes its checkpoint) and opens it again from that checkpoint, timing both.</summary>
    private static async Task<FasterLogStore> ReopenAsync(FasterLogStore store, string directory, FasterLogStoreOptions options)
    {
        var close = Stopwatch.StartNew();
        await store.DisposeAsync();
        close.Stop();
        var checkpoint = Path.Combine(directory, "checkpoint");
        var open = Stopwatch.StartNew();
        var reopened = FasterLogStore.Open(directory, options);
        open.Stop();
        Console.WriteLine($"close (last checkpoint): {close.Elapsed.TotalSeconds:F1} s, checkpoint files {CheckpointBytes(directory) / 1048576.0:N1} MiB "
            + $"(gateways' table {FolderBytes(checkpoint) / 1024.0:N0} KiB)");
        Console.WriteLine($"open from the checkpoint: {open.Elapsed.TotalSeconds:F2} s ({reopened.Rows:N0} rows, replayed from {reopened.ReplayedFrom:N0}, "
            + $"checkpoint at {reopened.CheckpointAddress:N0}), {Memory()}");
        return reopened;
    }

    /// <summary>Bytes of the KVs' checkpoint folders and the gateways' table.</summary>
    private static long CheckpointBytes(string directory)
        => new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(static f => f.FullName.Contains("/checkpoint", StringComparison.Ordinal)).Sum(static f => f.Length);

    /// <summary>Rows as the record stage encodes them, one a millisecond, with the mix of models and failures a query picks from.</summary>
    private static void Fill(FasterLogStore store, string gateway, int rows, bool bodies, long first, long spacing)
    {
        var response = new BodyCapture();
        response.Append(LogBenchRows.ResponseBody);
        for (var i = 0; i < rows; i++)
        {
            var success = i % 20 != 6; // one row in 20 fails, a quarter of them on gpt-4o
            var row = new LogRowFields
            {
                Id = IdOf(i),
                GatewayId = gateway,
                CreatedAtUnixMs = first + (i * spacing),
                Provider = Providers[i % Models.Length],
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
                Cost = 0.0000095 * (1 + (i % 7)),
                Cached = i % 10 == 3,
                TeamId = (i % 3) switch { 0 => "team-a", 1 => "team-b", _ => null },
                TeamName = (i % 3) switch { 0 => "Team A", 1 => "Team B", _ => null },
                Metadata = "{\"customer\":\"c" + (i % 100).ToString(CultureInfo.InvariantCulture) + "\"}",
                RequestContentType = "application/json",
                ResponseContentType = "application/json",
                RequestSize = LogBenchRows.RequestBody.Length,
                ResponseSize = LogBenchRows.ResponseBody.Length,
                BodiesKept = bodies,
                UserAgent = "wrk",
            };
            var encoded = bodies
                ? LogRecordCodec.EncodeCapturedRow(in row, LogBenchRows.RequestBody, response, default)
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

    /// <summary>Runs <paramref name="query"/> <paramref name="runs"/> times and prints the median, min and max of its wall-clock
    /// time and the median of the process's CPU time over it (every thread's: FASTER's I/O completions and the GC count),
    /// which a loaded machine does not stretch as it does the wall clock.</summary>
    private static void Time(string name, int runs, Func<int> query)
    {
        var times = new double[runs];
        var cpu = new double[runs];
        var result = 0;
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < runs; r++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            result = query();
            times[r] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        }

        Array.Sort(times);
        Array.Sort(cpu);
        Console.WriteLine($"{name,-42} median {times[runs / 2],8:F1} ms  min {times[0],8:F1} ms  max {times[^1],8:F1} ms  CPU {cpu[runs / 2],8:F1} ms  (result {result:N0})");
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

    private static string Filter(string key, string value) => $"?filters.key={key}&filters.operator=eq&filters.value={value}";

    private static LogAnalyticsQuery Analytics(string text)
        => LogAnalyticsQuery.TryParse(QueryStringReader.Read(text), out var query, out _) ? query : throw new ArgumentException(text);

    private static string Memory()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return $"RSS {process.WorkingSet64 / 1048576.0:N0} MiB, managed {managed / 1048576.0:N1} MiB, GC heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:N1} MiB";
    }

    private static long FolderBytes(string directory)
        => new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(static f => f.Length);

    private static int Bits(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at < 0 ? fallback : int.Parse(args[at + 1], CultureInfo.InvariantCulture);
    }

    private static string RuntimeInformationText()
        => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
}
