using Gateway.Fast.Benchmarks.Infrastructure;
using Xunit.Abstractions;

// Bytes are counted on every thread of this process, so nothing else may run while a benchmark is measured.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Gateway.Fast.Benchmarks.Tests;

/// <summary>
/// Every benchmark's bytes per operation, measured in process, within <c>bench/expected-allocations.json</c> + 10%
/// (0 allows nothing); every benchmark has an entry and every entry a benchmark.
/// </summary>
public sealed class AllocationBudgetTests(ITestOutputHelper output)
{
    // The log append benchmark counts the background writer's work per row, and how many rows the writer takes per commit
    // (and so its bytes per row) depends on thread timing: 487 to 1,686 B/op between runs on one machine. Its figure is
    // printed here and checked by BenchmarkDotNet's run (bench/check-allocations.sh), not failed on in this test.
    private static readonly HashSet<string> TimingDependent = new(StringComparer.Ordinal)
    {
        "Gateway.Fast.Benchmarks.Logging.LogAppendBenchmarks.AppendAndCommit(Bodies: False)",
        "Gateway.Fast.Benchmarks.Logging.LogAppendBenchmarks.AppendAndCommit(Bodies: True)",
    };

    [Fact]
    public void Every_benchmark_allocates_within_its_budget()
    {
        var expected = AllocationCheck.LoadExpected(Path.Combine(AppContext.BaseDirectory, "expected-allocations.json"));
        var cases = InProcessAllocations.Cases();
        var measured = new List<(string Name, long? Bytes)>(cases.Count);
        foreach (var benchmark in cases)
        {
            string name = InProcessAllocations.NameOf(benchmark);
            long? limit = expected.TryGetValue(name, out long budget) ? AllocationCheck.LimitOf(budget) : null;
            long? bytes = InProcessAllocations.Measure(benchmark, limit).BytesPerOperation;
            if (TimingDependent.Contains(name))
            {
                output.WriteLine($"not checked here (timing-dependent) {name}: {bytes} B/op");
                expected.Remove(name);
                continue;
            }

            measured.Add((name, bytes));
        }

        var verdict = AllocationCheck.Evaluate(expected, measured, everyEntryMustRun: true);
        foreach (var line in verdict.Lines)
        {
            output.WriteLine(line);
        }

        Assert.True(verdict.Passed, $"{verdict.Summary}{Environment.NewLine}{string.Join(Environment.NewLine, verdict.Failures)}");
    }
}
