using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Compat;
using Gateway.Fast.Pipeline;

namespace Gateway.Fast.Benchmarks.Compat;

/// <summary>
/// What <c>/compat</c> adds for an OpenAI-compatible provider: <c>model</c> replaced in a ~4 KiB chat body, spliced at
/// the peeked range vs parsed and rewritten property by property (the fallback). One op is one request body.
/// </summary>
[MemoryDiagnoser]
public class ModelRewriterBenchmarks
{
    private byte[] _body = [];
    private Range _model;

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder("{\"model\":\"groq/llama-3.1-8b-instant\",\"messages\":[");
        for (int i = 0; sb.Length < 4000; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"role\":\"user\",\"content\":\"Turn ").Append(i).Append(": tell me about the weather in Lisbon today.\"}");
        }

        sb.Append("],\"temperature\":0.2}");
        _body = Encoding.UTF8.GetBytes(sb.ToString());
        RequestBodyPeek.TryPeek(_body, out _model, out _);
    }

    [Benchmark(Baseline = true)]
    public int RewriteAllProperties() => ModelRewriter.Rewrite(_body, default, "llama-3.1-8b-instant", false).Length;

    [Benchmark]
    public int Splice() => ModelRewriter.Rewrite(_body, _model, "llama-3.1-8b-instant", false).Length;
}
