using BenchmarkDotNet.Attributes;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Routing;

namespace Gateway.Fast.Benchmarks.Routing;

/// <summary><see cref="RouteParser.Parse"/> against the naive <c>Split('/')</c> parser it replaced; one op is one path.</summary>
[MemoryDiagnoser]
public class RouteParserBenchmarks
{
    [Params(
        "/v1/acct/gw/openai/chat/completions",
        "/v1/acct/gw/workers-ai/@cf/meta/llama-3.1-8b-instruct",
        "/v1/a/g")]
    public string Path { get; set; } = "";

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public int SplitAndSubstring()
    {
        int sum = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            var m = NaiveParse(Path);
            sum += (int)m.Kind + m.Rest.Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int Parse()
    {
        int sum = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            var m = RouteParser.Parse(Path);
            sum += (int)m.Kind + m.Rest.End.Value;
        }

        return sum;
    }

    private readonly record struct NaiveMatch(RouteKind Kind, string Account, string Gateway, string Provider, string Rest);

    /// <summary>The obvious version: split into segments, then copy each one out (same answers as the real parser).</summary>
    private static NaiveMatch NaiveParse(string path)
    {
        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return default;
        }

        var parts = path.Split('/'); // ["", "v1", account, gateway, provider, rest…]
        if (parts[2].Length == 0)
        {
            return new NaiveMatch(RouteKind.Malformed, "", "", "", "");
        }

        if (ReservedSegments.IsReserved(parts[2]))
        {
            return new NaiveMatch(RouteKind.DefaultRoute, "", "", "", path.Substring(4));
        }

        if (parts.Length < 4 || parts[3].Length == 0)
        {
            return new NaiveMatch(RouteKind.Malformed, "", "", "", "");
        }

        if (parts.Length == 4 || (parts.Length == 5 && parts[4].Length == 0))
        {
            return new NaiveMatch(RouteKind.Universal, parts[2], parts[3], "", "");
        }

        if (parts[4].Length == 0 || (parts.Length > 5 && parts[5].Length == 0 && parts.Length > 6))
        {
            return new NaiveMatch(RouteKind.Malformed, "", "", "", "");
        }

        string rest = parts.Length > 5 ? string.Join('/', parts, 5, parts.Length - 5) : "";
        var kind = parts[4] == "compat" ? RouteKind.Compat : RouteKind.Provider;
        return new NaiveMatch(kind, parts[2], parts[3], parts[4], rest);
    }
}
