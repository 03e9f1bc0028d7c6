using BenchmarkDotNet.Attributes;
using Gateway.Fast.Forwarding;

namespace Gateway.Fast.Benchmarks.Forwarding;

/// <summary><see cref="HeaderRules.SkipRequestHeader"/> over a typical SDK request's header names; one op is one header name.</summary>
[MemoryDiagnoser]
public class HeaderRulesBenchmarks
{
    private const int Rounds = 32;
    private const int Ops = Rounds * 12;

    // What the OpenAI SDK sends over HTTP/1.1 through the gateway, with two gateway controls; Kestrel keeps the client's casing.
    private readonly string[] _names =
    [
        "Host", "Content-Type", "Content-Length", "Authorization", "Accept", "User-Agent",
        "Accept-Encoding", "Connection", "X-Stainless-Lang", "OpenAI-Beta", "cf-aig-cache-ttl", "cf-aig-metadata",
    ];

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public int ToLowerAndSwitch()
    {
        int skipped = 0;
        for (int r = 0; r < Rounds; r++)
        {
            foreach (var name in _names)
            {
                skipped += NaiveSkip(name) ? 1 : 0;
            }
        }

        return skipped;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int SkipRequestHeader()
    {
        int skipped = 0;
        for (int r = 0; r < Rounds; r++)
        {
            foreach (var name in _names)
            {
                skipped += HeaderRules.SkipRequestHeader(name) ? 1 : 0;
            }
        }

        return skipped;
    }

    /// <summary>The obvious version: lower-case the name (a new string for any capital), then compare.</summary>
    private static bool NaiveSkip(string name)
    {
        string lower = name.ToLowerInvariant();
        return lower.StartsWith(':') || lower.StartsWith("cf-aig-", StringComparison.Ordinal) || lower switch
        {
            "cf-cache-ttl" or "cf-skip-cache" or "te" or "trailer" or "upgrade" or "connection" or "keep-alive"
                or "proxy-connection" or "transfer-encoding" or "proxy-authenticate" or "proxy-authorization"
                or "host" or "content-length" or "expect" => true,
            _ => false,
        };
    }
}
