using BenchmarkDotNet.Attributes;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Benchmarks.Utilities;

/// <summary><see cref="Ulid.NewUlid(long)"/> (one 26-char string) against <c>Guid.NewGuid().ToString("N")</c> (one 32-char string).</summary>
[MemoryDiagnoser]
public class UlidBenchmarks
{
    private long _unixMs = 1_730_000_000_000;

    [Benchmark(Baseline = true)]
    public string GuidToStringN() => Guid.NewGuid().ToString("N");

    [Benchmark]
    public string NewUlid() => Ulid.NewUlid(_unixMs++);
}
