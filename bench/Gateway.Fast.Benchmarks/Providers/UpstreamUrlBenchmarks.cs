using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Providers;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Benchmarks.Providers;

/// <summary><see cref="UpstreamUrl.TryBuild"/> against string concatenation (and <c>Split</c>/<c>Replace</c> for templates); one op is one URL.</summary>
/// <remarks>Both sides must allocate the URL string itself; anything above that is overhead.</remarks>
[MemoryDiagnoser]
public class UpstreamUrlBenchmarks
{
    private ResolvedProvider _provider = null!;
    private string _rest = "";
    private string _query = "";

    [Params("openai-chat", "azure", "bedrock")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var registry = new ProviderRegistry(Options.Create(new GatewayOptions()));
        (string slug, _rest, _query) = Case switch
        {
            "openai-chat" => ("openai", "chat/completions", ""),
            "azure" => ("azure-openai", "my-resource/gpt-4o/chat/completions", "?api-version=2024-10-21"),
            "bedrock" => ("aws-bedrock", "bedrock-runtime/us-east-1/model/anthropic.claude-3-5-sonnet-20241022-v2:0/converse", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(Case)),
        };
        if (!registry.TryGet(slug, out var provider))
        {
            throw new InvalidOperationException($"No provider '{slug}' in the catalog.");
        }

        _provider = provider;
        if (UpstreamUrl.TryBuild(_provider, _rest, "acct", _query, out string url) != GatewayError.None || url != Naive(_provider, _rest, _query))
        {
            throw new InvalidOperationException($"TryBuild and the baseline disagree for {Case}: {url} vs {Naive(_provider, _rest, _query)}");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public int Concat()
    {
        int sum = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            sum += Naive(_provider, _rest, _query).Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int TryBuild()
    {
        int sum = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            UpstreamUrl.TryBuild(_provider, _rest, "acct", _query, out string url);
            sum += url.Length;
        }

        return sum;
    }

    /// <summary>The obvious version, without TryBuild's checks of template values or path escaping.</summary>
    private static string Naive(ResolvedProvider p, string rest, string query)
    {
        switch (p.Descriptor.PathRule)
        {
            case PathRule.AzureOpenAi:
            {
                var parts = rest.Split('/', 3);
                return p.BaseUrl.Replace("{resource}", parts[0]).Replace("{deployment}", parts[1]) + "/" + parts[2] + query;
            }

            case PathRule.AwsBedrock:
            {
                var parts = rest.Split('/', 3);
                string template = parts[0] == "bedrock-mantle" ? p.SecondaryBaseUrl! : p.BaseUrl;
                return template.Replace("{region}", parts[1]) + "/" + parts[2] + query;
            }

            default:
                return $"{p.BaseUrl}/{rest}{query}";
        }
    }
}
