using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Errors;

namespace Gateway.Fast.Benchmarks.Errors;

/// <summary><see cref="ErrorWriter.BodyOf"/> (bodies rendered once at start) against rendering the body per error; one op is one body.</summary>
[MemoryDiagnoser]
public class ErrorWriterBenchmarks
{
    private static readonly (GatewayError Error, ErrorShape Shape)[] Cases =
    [
        (GatewayError.MalformedPath, ErrorShape.Cloudflare),
        (GatewayError.InvalidProvider, ErrorShape.OpenAI),
        (GatewayError.UpstreamTimeout, ErrorShape.Anthropic),
        (GatewayError.UpstreamUnavailable, ErrorShape.OpenAI),
    ];

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public int RenderPerError()
    {
        int sum = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            var (error, shape) = Cases[i % Cases.Length];
            sum += ErrorWriter.RenderOne(ErrorDescription.For(error), shape).Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int BodyOf()
    {
        int sum = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            var (error, shape) = Cases[i % Cases.Length];
            sum += ErrorWriter.BodyOf(error, shape).Length;
        }

        return sum;
    }
}
