using System.Text.Json;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Reports;

namespace Gateway.Fast.Benchmarks.Infrastructure;

/// <summary>Compares measured bytes per operation with <c>bench/expected-allocations.json</c>, failing above expected + 10%.</summary>
/// <remarks>
/// Garnet's test/BDNPerfTests idea: allocations are deterministic under workstation non-concurrent GC, so a regression
/// shows as a larger number, whatever the machine. An expected 0 allows nothing. A benchmark that ran but has no entry
/// fails too, so new benchmarks get recorded; entries that did not run (filtered out) are ignored.
/// </remarks>
public static class AllocationCheck
{
    private const double Margin = 0.10;

    internal sealed record Options(bool Check, string? ResultsDirectory, string? ExpectedFile)
    {
        public static Options Parse(string[] args, out string[] rest)
        {
            bool check = false;
            string? results = null, expected = null;
            var others = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--check-allocations":
                        check = true;
                        break;
                    case "--check-results":
                        check = true;
                        results = i + 1 < args.Length && !args[i + 1].StartsWith('-')
                            ? args[++i]
                            : Path.Combine("BenchmarkDotNet.Artifacts", "results");
                        break;
                    case "--expected" when i + 1 < args.Length:
                        expected = args[++i];
                        break;
                    default:
                        others.Add(args[i]);
                        break;
                }
            }

            rest = [.. others];
            return new Options(check, results, expected);
        }
    }

    internal static IEnumerable<(string Name, long? Bytes)> FromSummaries(IEnumerable<Summary> summaries)
        => summaries.SelectMany(s => s.Reports).Select(r =>
            (FullNameProvider.GetBenchmarkName(r.BenchmarkCase), r.Success ? r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) : null));

    internal static IEnumerable<(string Name, long? Bytes)> FromJsonExports(string directory)
    {
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*-report-full-compressed.json") : [];
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No *-report-full-compressed.json in '{directory}'; run the benchmarks first.");
        }

        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var b in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                long? bytes = b.TryGetProperty("Memory", out var m) && m.TryGetProperty("BytesAllocatedPerOperation", out var v)
                    && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
                yield return (b.GetProperty("FullName").GetString()!, bytes);
            }
        }
    }

    internal static int Run(Options options, IEnumerable<(string Name, long? Bytes)> measured)
    {
        string path = options.ExpectedFile ?? FindExpectedFile();
        Console.WriteLine();
        Console.WriteLine($"// Allocation check against {path} (limit: expected + {Margin:P0})");
        var verdict = Evaluate(LoadExpected(path), measured, everyEntryMustRun: false, Path.GetFileName(path));
        foreach (var line in verdict.Lines)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine(verdict.Summary);
        return verdict.Passed ? 0 : 1;
    }

    /// <summary>What a check found: one line per benchmark (and per entry that did not run), the failing ones apart.</summary>
    public sealed record Verdict(IReadOnlyList<string> Lines, IReadOnlyList<string> Failures, int Checked)
    {
        public bool Passed => Failures.Count == 0 && Checked > 0;

        public string Summary => Failures.Count == 0
            ? $"// {Checked} benchmarks within their allocation budget."
            : $"// {Failures.Count} failures among {Checked} benchmarks.";
    }

    /// <summary>The most bytes per operation an entry allows: expected + 10%, so an expected 0 allows nothing.</summary>
    public static long LimitOf(long expected) => (long)Math.Floor(expected * (1 + Margin));

    public static Dictionary<string, long> LoadExpected(string path)
        => JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"'{path}' is not a JSON object of name → bytes.");

    /// <summary>
    /// Compares <paramref name="measured"/> with <paramref name="expected"/>: above expected + 10% fails, as does a
    /// benchmark with no entry; with <paramref name="everyEntryMustRun"/>, so does an entry no benchmark matched (a
    /// renamed or deleted benchmark), which a filtered BenchmarkDotNet run cannot tell apart from one it skipped.
    /// </summary>
    public static Verdict Evaluate(IReadOnlyDictionary<string, long> expected, IEnumerable<(string Name, long? Bytes)> measured,
        bool everyEntryMustRun, string fileName = "expected-allocations.json")
    {
        var lines = new List<string>();
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Fail(string line)
        {
            lines.Add(line);
            failures.Add(line);
        }

        foreach (var (name, bytes) in measured.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            seen.Add(name);
            if (bytes is null)
            {
                Fail($"FAIL  {name}: no allocation data (did the benchmark fail?)");
            }
            else if (!expected.TryGetValue(name, out long want))
            {
                Fail($"FAIL  {name}: {bytes} B/op, not in {fileName}; add \"{name}\": {bytes}");
            }
            else if (bytes > LimitOf(want))
            {
                Fail($"FAIL  {name}: {bytes} B/op, expected {want} B/op");
            }
            else
            {
                string note = bytes < want * (1 - Margin) ? $" (below the expected {want} B/op: lower the entry)" : "";
                lines.Add($"ok    {name}: {bytes} B/op{note}");
            }
        }

        if (everyEntryMustRun)
        {
            foreach (var name in expected.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal))
            {
                Fail($"FAIL  {name}: in {fileName} but no such benchmark; remove or rename the entry");
            }
        }

        return new Verdict(lines, failures, seen.Count);
    }

    /// <summary>bench/expected-allocations.json, looked for from the working directory up (repository root or any folder below it).</summary>
    public static string FindExpectedFile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "bench", "expected-allocations.json"), Path.Combine(dir.FullName, "expected-allocations.json") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("bench/expected-allocations.json not found above the working directory; pass --expected <file>.");
    }
}
