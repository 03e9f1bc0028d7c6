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
internal static class AllocationCheck
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

    public static IEnumerable<(string Name, long? Bytes)> FromSummaries(IEnumerable<Summary> summaries)
        => summaries.SelectMany(s => s.Reports).Select(r =>
            (FullNameProvider.GetBenchmarkName(r.BenchmarkCase), r.Success ? r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) : null));

    public static IEnumerable<(string Name, long? Bytes)> FromJsonExports(string directory)
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

    public static int Run(Options options, IEnumerable<(string Name, long? Bytes)> measured)
    {
        string path = options.ExpectedFile ?? FindExpectedFile();
        var expected = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"'{path}' is not a JSON object of name → bytes.");

        int failures = 0, checkedCount = 0;
        Console.WriteLine();
        Console.WriteLine($"// Allocation check against {path} (limit: expected + {Margin:P0})");
        foreach (var (name, bytes) in measured.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            checkedCount++;
            if (bytes is null)
            {
                failures++;
                Console.WriteLine($"FAIL  {name}: no allocation data (did the benchmark fail?)");
            }
            else if (!expected.TryGetValue(name, out long want))
            {
                failures++;
                Console.WriteLine($"FAIL  {name}: {bytes} B/op, not in {Path.GetFileName(path)}; add \"{name}\": {bytes}");
            }
            else if (bytes > want * (1 + Margin))
            {
                failures++;
                Console.WriteLine($"FAIL  {name}: {bytes} B/op, expected {want} B/op");
            }
            else
            {
                string note = bytes < want * (1 - Margin) ? $" (below the expected {want} B/op: lower the entry)" : "";
                Console.WriteLine($"ok    {name}: {bytes} B/op{note}");
            }
        }

        Console.WriteLine(failures == 0
            ? $"// {checkedCount} benchmarks within their allocation budget."
            : $"// {failures} of {checkedCount} benchmarks over their allocation budget.");
        return failures == 0 && checkedCount > 0 ? 0 : 1;
    }

    /// <summary>bench/expected-allocations.json, looked for from the working directory up (repository root or any folder below it).</summary>
    private static string FindExpectedFile()
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
