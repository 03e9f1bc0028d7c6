using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Accounting;

namespace Gateway.Fast.Benchmarks.Accounting;

/// <summary>
/// The input estimate of a chat request seen again (a client resends its system prompt and the conversation so far with
/// every turn): <see cref="TokenEstimator.CountRequestText"/>, whose strings come from its table of recent counts, against
/// counting the same two strings with the tokenizer, which the first sight of a request costs.
/// </summary>
[MemoryDiagnoser]
public class RequestTextBenchmarks
{
    private const string System = "You are a helpful assistant for a travel company. Answer in two sentences, politely, and never invent prices.";
    private const string User = "Which month is the cheapest to fly from Lisbon to Tokyo, and how long is the flight?";

    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        $$"""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"system","content":"{{System}}"},{"role":"user","content":"{{User}}"}]}""");

    [GlobalSetup]
    public void Setup()
    {
        if (TokenizerCount() != TokenEstimator.CountRequestText(_body)) // also loads the tokenizer outside the measured op
        {
            throw new InvalidOperationException("The two counts disagree.");
        }
    }

    [Benchmark(Baseline = true)]
    public int TokenizerCount() => TokenEstimator.Count(System.AsSpan()) + TokenEstimator.Count(User.AsSpan());

    [Benchmark]
    public int CountRequestTextSeenBefore() => TokenEstimator.CountRequestText(_body);
}
