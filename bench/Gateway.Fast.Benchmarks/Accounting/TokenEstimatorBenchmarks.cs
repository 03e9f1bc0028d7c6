using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Accounting;

namespace Gateway.Fast.Benchmarks.Accounting;

/// <summary>
/// <see cref="TokenEstimator.CountJsonStrings"/> (strings unescaped into one pooled buffer, the tokenizer's span overload)
/// against decoding each string, joining them in a <see cref="StringBuilder"/> and counting the joined string; one op is
/// the output estimate of one streamed answer without usage (64 deltas, as the simulator streams with x-sim-tokens: 64).
/// </summary>
[MemoryDiagnoser]
public class TokenEstimatorBenchmarks
{
    private byte[] _captured = [];

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 64; i++)
        {
            text.Append(i % 7 == 0 ? "\" Hello\\n\" " : $"\" word{i}\" ");
        }

        _captured = Encoding.UTF8.GetBytes(text.ToString());
        TokenEstimator.Count("warm"); // the tokenizer is created on first use, not in the measured op
        if (JoinAndCount() != TokenEstimator.CountJsonStrings(_captured))
        {
            throw new InvalidOperationException("The two counts disagree.");
        }
    }

    [Benchmark(Baseline = true)]
    public int JoinAndCount()
    {
        var reader = new Utf8JsonReader(_captured, new JsonReaderOptions { AllowMultipleValues = true });
        var text = new StringBuilder();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                text.Append(reader.GetString());
            }
        }

        return TokenEstimator.Count(text.ToString());
    }

    [Benchmark]
    public int CountJsonStrings() => TokenEstimator.CountJsonStrings(_captured);
}
