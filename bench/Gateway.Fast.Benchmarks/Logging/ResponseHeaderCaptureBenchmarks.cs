using BenchmarkDotNet.Attributes;
using Gateway.Fast.Logging;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Logging;

/// <summary>
/// The log row's response headers: <see cref="ResponseHeaderCapture.Capture"/> over what a chat completion's answer
/// carries through the gateway (the provider's headers and the gateway's own), into the capture's reused buffer. One op
/// is one response's headers.
/// </summary>
/// <remarks>The baseline filters each name with the seven case-insensitive searches on every call, as the capture did
/// before it kept a verdict per name; <see cref="ShouldKeep"/> is the same filter now.</remarks>
[MemoryDiagnoser]
public class ResponseHeaderCaptureBenchmarks
{
    private const int Rounds = 64;

    private readonly HeaderDictionary _headers = LogBenchRows.ResponseHeaders();

    private readonly ResponseHeaderCapture _capture = new();

    [GlobalCleanup]
    public void Cleanup() => _capture.Reset();

    [Benchmark(Baseline = true, OperationsPerInvoke = Rounds)]
    public int SearchEveryName()
    {
        int kept = 0;
        for (int r = 0; r < Rounds; r++)
        {
            foreach (var header in _headers)
            {
                kept += NaiveKeep(header.Key) ? header.Value.Count : 0;
            }
        }

        return kept;
    }

    [Benchmark(OperationsPerInvoke = Rounds)]
    public int ShouldKeep()
    {
        int kept = 0;
        for (int r = 0; r < Rounds; r++)
        {
            foreach (var header in _headers)
            {
                kept += ResponseHeaderCapture.ShouldKeep(header.Key) ? header.Value.Count : 0;
            }
        }

        return kept;
    }

    /// <summary>The whole capture: the verdicts and the names and values encoded.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public int Capture()
    {
        int bytes = 0;
        for (int r = 0; r < Rounds; r++)
        {
            _capture.Capture(_headers);
            bytes += _capture.Encoded.Length;
        }

        return bytes;
    }

    /// <summary>What a logged request does with its context: the capture, then the context's reset after the row is written.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public int CaptureAndReset()
    {
        int bytes = 0;
        for (int r = 0; r < Rounds; r++)
        {
            _capture.Capture(_headers);
            bytes += _capture.Encoded.Length;
            _capture.Reset();
        }

        return bytes;
    }

    private static bool NaiveKeep(string name)
        => name.Length > 0
            && !name.Contains("cookie", StringComparison.OrdinalIgnoreCase)
            && !name.Contains("auth", StringComparison.OrdinalIgnoreCase)
            && !name.Contains("api-key", StringComparison.OrdinalIgnoreCase)
            && !name.Contains("apikey", StringComparison.OrdinalIgnoreCase)
            && !name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            && !name.EndsWith("key", StringComparison.OrdinalIgnoreCase)
            && !name.EndsWith("token", StringComparison.OrdinalIgnoreCase);
}
