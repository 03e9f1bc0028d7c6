using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Caching;

/// <summary><c>CacheKey.Compute</c> over a chat request, with and without a credential header, against the obvious
/// string-concatenation version.</summary>
[MemoryDiagnoser]
public class CacheKeyBenchmarks
{
    private readonly HeaderDictionary _headers = new()
    {
        ["Authorization"] = "Bearer sk-proj-0123456789abcdefghijklmnopqrstuvwxyz0123456789",
        ["Content-Type"] = "application/json",
        ["User-Agent"] = "OpenAI/Python 1.59.0",
    };

    private readonly HeaderDictionary _noCredential = new()
    {
        ["cf-aig-authorization"] = "Bearer gateway-token",
        ["Content-Type"] = "application/json",
        ["User-Agent"] = "OpenAI/Python 1.59.0",
    };

    private byte[] _body = [];

    [Params(300, 4096, 65536)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var prefix = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":" """u8.ToArray();
        _body = new byte[BodyBytes];
        _body.AsSpan().Fill((byte)'a');
        prefix.CopyTo(_body, 0);
        """ "}]}"""u8.CopyTo(_body.AsSpan(BodyBytes - 5));
    }

    [Benchmark(Baseline = true)]
    public string ConcatAndHex()
    {
        string auth = _headers["Authorization"].ToString();
        string text = "gw|0|openai|/v1/chat/completions|" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(auth)))
            + "|" + Encoding.UTF8.GetString(_body);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [Benchmark]
    public CacheKey Compute() => CacheKey.Compute("gw", 0, "openai", "/v1/chat/completions", _headers, _body);

    /// <summary>A caller whose provider key the gateway holds: no credential header, so no credential digest of its own.</summary>
    [Benchmark]
    public CacheKey ComputeWithoutCredential() => CacheKey.Compute("gw", 0, "openai", "/v1/chat/completions", _noCredential, _body);
}
