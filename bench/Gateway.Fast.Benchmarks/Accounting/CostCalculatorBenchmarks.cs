using BenchmarkDotNet.Attributes;
using Gateway.Fast.Accounting;
using Gateway.Fast.Benchmarks.Infrastructure;

namespace Gateway.Fast.Benchmarks.Accounting;

/// <summary>
/// The cost every logged request's row computes from its usage: the model's price row found by name, then the sum. A
/// dated OpenAI id, a Bedrock cross-region id (a region prefix taken off first) and a model without a price.
/// </summary>
[MemoryDiagnoser]
public class CostCalculatorBenchmarks
{
    private readonly CostCalculator _costs = new(PriceTable.Default);
    private readonly Usage _usage = new(1_200, 300, 200, found: true);

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public double DatedModel() => Sum("openai", "gpt-4o-mini-2024-07-18");

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public double BedrockRegionModel() => Sum("aws-bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0");

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public double UnpricedModel() => Sum("openai", "unpriced-model-1");

    private double Sum(string provider, string model)
    {
        double total = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            total += _costs.Compute(provider, model, in _usage) ?? 1;
        }

        return total;
    }
}
