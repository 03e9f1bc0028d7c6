namespace Gateway.Fast.Benchmarks.Infrastructure;

/// <summary>Inner-loop sizes shared by the sub-microsecond benchmarks (Kestrel's HttpParserBenchmark pattern).</summary>
internal static class Loop
{
    /// <summary>Calls per benchmark invocation; <c>OperationsPerInvoke</c> divides time and bytes back to one call.</summary>
    public const int Count = 256;
}
