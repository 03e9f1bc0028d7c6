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
            measured.Add((name, InProcessAllocations.Measure(benchmark, limit).BytesPerOperation));
        }

        var verdict = AllocationCheck.Evaluate(expected, measured, everyEntryMustRun: true);
        foreach (var line in verdict.Lines)
        {
            output.WriteLine(line);
        }

        Assert.True(verdict.Passed, $"{verdict.Summary}{Environment.NewLine}{string.Join(Environment.NewLine, verdict.Failures)}");
    }
}
