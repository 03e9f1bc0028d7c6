using System.Text;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Providers;
using Gateway.Fast.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Tests.Hardening;

/// <summary>Seeded fuzzing of the route parser and the upstream URL builder: no input may throw, and none may steer a request off the catalog's host or out of the provider's base path.</summary>
public sealed class RouteFuzzTests
{
    private const int Cases = 20_000;

    private static readonly ProviderRegistry Registry = new(Options.Create(new GatewayOptions()));

    // Pieces an attacker would try: dot segments plain and encoded, encoded and doubled slashes, backslashes,
    // authority and port tricks, query and fragment starts, controls, bidi overrides, astral characters.
    private static readonly string[] Pieces =
    [
        "..", ".", "%2E%2E", "%2e%2e", ".%2E", "%2F", "%2f", "..%2F..", "%5C", "\\..\\", "//", "/", "%00", "..;", "%252F",
        "chat", "completions", "v1", "v2", "@cf", "meta", "model", "locations", "global", "us-east-1", "bedrock-runtime",
        "bedrock-mantle", "evil.com", "@evil.com", "user:pw@evil.com", ":8443", "?x=1", "#frag", "é", "\u202E", "😀",
        "\u0000", "\r\n", " ", "compat", "a.b", "-", "_",
    ];

    private static string RandomSegment(Random rng)
    {
        int kind = rng.Next(10);
        if (kind < 6)
        {
            return Pieces[rng.Next(Pieces.Length)];
        }

        if (kind < 8)
        {
            return Pieces[rng.Next(Pieces.Length)] + Pieces[rng.Next(Pieces.Length)];
        }

        int length = kind == 8 ? rng.Next(1, 40) : rng.Next(1_000, 5_000); // sometimes a very long segment
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.Append(rng.Next(20) == 0 ? (char)rng.Next(0x20, 0x3000) : (char)rng.Next(0x21, 0x7F));
        }

        return sb.ToString();
    }

    private static string RandomRest(Random rng)
    {
        var sb = new StringBuilder();
        int segments = rng.Next(0, 7);
        for (int i = 0; i < segments; i++)
        {
            if (i > 0)
            {
                sb.Append(rng.Next(8) == 0 ? "//" : "/");
            }

            sb.Append(RandomSegment(rng));
        }

        return sb.ToString();
    }

    private static string RandomPath(Random rng)
    {
        var all = Registry.All;
        string provider = rng.Next(10) switch
        {
            < 7 => all[rng.Next(all.Count)].Id,
            7 => "compat",
            _ => RandomSegment(rng),
        };
        string prefix = rng.Next(20) == 0 ? RandomSegment(rng) : "/v1/";
        string account = rng.Next(5) == 0 ? RandomSegment(rng) : "acct";
        string gateway = rng.Next(5) == 0 ? RandomSegment(rng) : "gw";
        string sep = rng.Next(15) == 0 ? "//" : "/";
        return rng.Next(10) switch
        {
            0 => prefix + account,
            1 => prefix + account + sep + gateway + (rng.Next(2) == 0 ? "/" : ""),
            _ => prefix + account + sep + gateway + sep + provider + (rng.Next(6) == 0 ? "" : "/" + RandomRest(rng)),
        };
    }

    private static void AssertRangeInside(Range range, int length, string what, string path)
    {
        var (offset, count) = range.GetOffsetAndLength(length); // throws when outside
        Assert.True(offset >= 0 && offset + count <= length, $"{what} outside of '{path}'");
    }

    [Fact]
    public void RandomPaths_ParseWithoutThrowing_IntoRangesInsideThePath()
    {
        var rng = new Random(7_0001);
        var kinds = new int[Enum.GetValues<RouteKind>().Length];
        for (int i = 0; i < Cases; i++)
        {
            string path = RandomPath(rng);
            var route = RouteParser.Parse(path);
            kinds[(int)route.Kind]++;
            switch (route.Kind)
            {
                case RouteKind.Provider or RouteKind.Compat:
                    AssertRangeInside(route.Account, path.Length, "account", path);
                    AssertRangeInside(route.Gateway, path.Length, "gateway", path);
                    AssertRangeInside(route.Provider, path.Length, "provider", path);
                    AssertRangeInside(route.Rest, path.Length, "rest", path);
                    var provider = path.AsSpan()[route.Provider];
                    Assert.False(provider.IsEmpty || provider.Contains('/'), $"provider segment '{provider}' of '{path}'");
                    Assert.False(path.AsSpan()[route.Rest].StartsWith("/"), $"rest of '{path}' starts with '/'");
                    Assert.False(path.AsSpan()[route.Account].Contains('/') || path.AsSpan()[route.Gateway].Contains('/'));
                    break;
                case RouteKind.Universal:
                    AssertRangeInside(route.Account, path.Length, "account", path);
                    AssertRangeInside(route.Gateway, path.Length, "gateway", path);
                    break;
                case RouteKind.DefaultRoute:
                    AssertRangeInside(route.Rest, path.Length, "rest", path);
                    break;
            }
        }

        // The generator reaches every interesting outcome, so the assertions above were exercised.
        Assert.All(new[] { RouteKind.Provider, RouteKind.Compat, RouteKind.Universal, RouteKind.Malformed, RouteKind.NotProxy },
            k => Assert.True(kinds[(int)k] > 100, $"{k}: only {kinds[(int)k]} cases"));
    }

    [Fact]
    public void RandomTeamBasePaths_ParseWithoutThrowing_AndTakeOnlyTheirEndpoints()
    {
        // Both forms (/openai/v1/{rest} and /openai/{endpoint}) beside lookalikes: only a base-path segment followed by
        // "v1/" and something, or by one of the four endpoint names exactly, is taken; every other path is left alone.
        var rng = new Random(7_0004);
        string[] segments = ["openai", "anthropic", "workers-ai", "google", "azure", "bedrock", "api", "tokens", "health", "metrics", "client", "v1"];
        string[] endpoints = ["chat/completions", "completions", "embeddings", "models"];
        int taken = 0, left = 0;
        for (int i = 0; i < Cases; i++)
        {
            string first = rng.Next(8) == 0 ? RandomSegment(rng) : segments[rng.Next(segments.Length)];
            string rest = rng.Next(3) switch
            {
                0 => endpoints[rng.Next(endpoints.Length)],
                1 => "v1/" + (rng.Next(2) == 0 ? endpoints[rng.Next(endpoints.Length)] : RandomRest(rng)),
                _ => RandomRest(rng),
            };
            string path = "/" + first + "/" + rest;
            if (!TeamBasePath.TryParse(path, out var route))
            {
                left++;
                continue;
            }

            taken++;
            AssertRangeInside(route.Provider, path.Length, "provider", path);
            AssertRangeInside(route.Rest, path.Length, "rest", path);
            Assert.NotNull(TeamBasePath.ProviderOf(path.AsSpan()[route.Provider]));
            var endpoint = path.AsSpan()[route.Rest];
            Assert.False(endpoint.IsEmpty, path);
            Assert.True(path.AsSpan()[(route.Provider.End.Value + 1)..].StartsWith("v1/") || endpoints.Contains(endpoint.ToString()),
                $"'{path}' was taken without v1/ for '{endpoint}'");
        }

        Assert.True(taken > 1_000 && left > 1_000, $"{taken} taken, {left} left");
    }

    [Fact]
    public void ParsedProviderRoutes_NeverLeaveTheCatalogHostOrBasePath()
    {
        var rng = new Random(7_0002);
        int built = 0, refused = 0;
        for (int i = 0; i < Cases; i++)
        {
            string path = RandomPath(rng);
            var route = RouteParser.Parse(path);
            if (route.Kind != RouteKind.Provider || !Registry.TryGet(path.AsSpan()[route.Provider], out var provider))
            {
                continue;
            }

            string query = rng.Next(4) == 0 ? "?api-version=2024-10-21" : "";
            var error = UpstreamUrl.TryBuild(provider, path.AsSpan()[route.Rest], path.AsSpan()[route.Account], query, out string url);
            if (error != GatewayError.None)
            {
                refused++;
                continue;
            }

            built++;
            AssertStaysInside(provider, url, path);
        }

        Assert.True(built > 5_000, $"only {built} URLs built ({refused} refused)");
        Assert.True(refused > 100, $"only {refused} refused");
    }

    [Fact]
    public void UniversalStepEndpoints_NeverLeaveTheCatalogHostOrBasePath()
    {
        // The Universal Endpoint's "endpoint" comes from the JSON body, unnormalised by Kestrel: the rawest input UpstreamUrl sees.
        var rng = new Random(7_0003);
        var all = Registry.All;
        for (int i = 0; i < Cases; i++)
        {
            var provider = all[rng.Next(all.Count)];
            string rest = RandomRest(rng).TrimStart('/');
            if (UpstreamUrl.TryBuild(provider, rest, "acct", "", out string url) == GatewayError.None)
            {
                AssertStaysInside(provider, url, rest);
            }
        }
    }

    [Theory]
    [InlineData("openai", "../../x")]
    [InlineData("openai", "chat/../../../x")]
    [InlineData("openai", "%2E%2E/%2e%2e/x")]
    [InlineData("openai", "chat/.%2E/.%2e/x")]
    [InlineData("openai", "..%2F..%2Fx")]
    [InlineData("openai", "..\\..\\x")]
    [InlineData("azure-openai", "res/dep/../../x")]
    [InlineData("workers-ai", "@cf/../../../x")]
    [InlineData("anthropic", "./v1/messages")]
    public void DotSegments_AreRefused(string provider, string rest)
    {
        Assert.True(Registry.TryGet(provider, out var p));
        Assert.Equal(GatewayError.MalformedPath, UpstreamUrl.TryBuild(p!, rest, "acct", "", out _));
    }

    [Theory]
    [InlineData("aws-bedrock", "bedrock-runtime/meta./model/x/converse")] // would be host "bedrock-runtime.meta..amazonaws.com"
    [InlineData("aws-bedrock", "bedrock-runtime/../model/x/converse")]
    [InlineData("baseten", "model")] // threw ArgumentOutOfRangeException before
    public void TemplateValuesThatCannotFormAHost_AreRefused(string provider, string rest)
    {
        Assert.True(Registry.TryGet(provider, out var p));
        Assert.Equal(GatewayError.MalformedPath, UpstreamUrl.TryBuild(p!, rest, "acct", "", out _));
    }

    [Fact]
    public void AWorkersAiAccountOfDots_IsRefused()
    {
        Assert.True(Registry.TryGet("workers-ai", out var p));
        Assert.Equal(GatewayError.MalformedPath, UpstreamUrl.TryBuild(p!, "@cf/meta/llama", "..", "", out _));
    }

    [Theory]
    [InlineData("openai", "files/report..final.txt", "https://api.openai.com/v1/files/report..final.txt")]
    [InlineData("openai", "chat/completions.", "https://api.openai.com/v1/chat/completions.")]
    [InlineData("openai", "files/...", "https://api.openai.com/v1/files/...")]
    public void DotsInsideNames_AreNotDotSegments(string provider, string rest, string expected)
    {
        Assert.True(Registry.TryGet(provider, out var p));
        Assert.Equal(GatewayError.None, UpstreamUrl.TryBuild(p!, rest, "acct", "", out string url));
        Assert.Equal(expected, url);
    }

    /// <summary>The URL HttpClient would send (after <see cref="Uri"/> removes dot segments) has a host the catalog allows and keeps its base path.</summary>
    private static void AssertStaysInside(ResolvedProvider provider, string url, string input)
    {
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri), $"'{url}' (from '{input}') is not a URL");
        Assert.True(uri!.Scheme == "https" && uri.UserInfo.Length == 0 && uri.IsDefaultPort, $"'{url}' (from '{input}') changes scheme, user or port");
        bool inside = Allows(provider.BaseUrl, uri) || (provider.SecondaryBaseUrl is { } second && Allows(second, uri))
            || (provider.Descriptor.PathRule == PathRule.GoogleVertex && Allows("https://aiplatform.googleapis.com", uri));
        Assert.True(inside, $"'{url}' (from '{input}') resolves to {uri.Host}{uri.AbsolutePath}, outside {provider.BaseUrl}");
    }

    /// <summary>Host equal to the template's, a placeholder standing for one label-ish value; path starting with the template's path up to its first placeholder.</summary>
    private static bool Allows(string template, Uri uri)
    {
        string rest = template["https://".Length..];
        int slash = rest.IndexOf('/');
        string host = slash < 0 ? rest : rest[..slash];
        string path = slash < 0 ? "/" : rest[slash..];
        int brace = path.IndexOf('{');
        string pathPrefix = brace < 0 ? path : path[..brace];

        bool hostOk;
        int open = host.IndexOf('{');
        if (open < 0)
        {
            hostOk = string.Equals(uri.Host, host, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            string before = host[..open], after = host[(host.IndexOf('}') + 1)..];
            hostOk = uri.Host.Length > before.Length + after.Length
                && uri.Host.StartsWith(before, StringComparison.OrdinalIgnoreCase)
                && uri.Host.EndsWith(after, StringComparison.OrdinalIgnoreCase);
        }

        return hostOk && (uri.AbsolutePath + "/").StartsWith(pathPrefix.TrimEnd('/') + "/", StringComparison.Ordinal);
    }
}
