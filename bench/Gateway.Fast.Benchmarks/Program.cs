using BenchmarkDotNet.Running;
using Gateway.Fast.Benchmarks.Infrastructure;

// dotnet run -c Release --project bench/Gateway.Fast.Benchmarks -- --filter '*'
//   --check-allocations            run, then compare B/op with bench/expected-allocations.json (+10% fails; exit code 1)
//   --check-results [dir]          compare an earlier run's JSON exports instead of running (default BenchmarkDotNet.Artifacts/results)
//   --expected <file>              another expectations file
// dotnet run -c Release --project bench/Gateway.Fast.Benchmarks -- --log-scale 10000000 [--no-bodies] [--dir path]
//                                  fills a log store, prints memory and the logs API's query times (Logging/LogScaleRun.cs)
if (args.Contains("--log-scale"))
{
    return await Gateway.Fast.Benchmarks.Logging.LogScaleRun.RunAsync(args);
}

var options = AllocationCheck.Options.Parse(args, out var bdnArgs);
if (options.ResultsDirectory is not null)
{
    return AllocationCheck.Run(options, AllocationCheck.FromJsonExports(options.ResultsDirectory));
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(bdnArgs, new BenchConfig());
if (!options.Check)
{
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

return AllocationCheck.Run(options, AllocationCheck.FromSummaries(summaries));
