using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Gateway.Fast.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Tests.Caching;

public sealed class CacheKeyTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

    private static HeaderDictionary Headers(string? authorization = "Bearer sk-one") => authorization is null
        ? new HeaderDictionary()
        : new HeaderDictionary { ["Authorization"] = authorization, ["User-Agent"] = "test" };

    private static CacheKey Key(string gateway = "gw", string provider = "openai", string path = "/v1/chat/completions",
        HeaderDictionary? headers = null, byte[]? body = null, long generation = 0)
        => CacheKey.Compute(gateway, generation, provider, path, headers ?? Headers(), body ?? Body);

    [Fact]
    public void TheSameRequestGivesTheSameKey()
    {
        Assert.Equal(Key(), Key());
        Assert.Equal(Key().ToString(), Key().ToString());
        Assert.Equal(64, Key().ToString().Length);
    }

    [Fact]
    public void HeadersOtherThanCredentialsDoNotChangeTheKey()
    {
        var other = Headers();
        other["User-Agent"] = "another";
        other["cf-aig-metadata"] = "{}";
        Assert.Equal(Key(), Key(headers: other));
    }

    [Fact]
    public void EveryFieldChangesTheKey()
    {
        var keys = new[]
        {
            Key(),
            Key(gateway: "gw2"),
            Key(provider: "anthropic"),
            Key(path: "/v1/chat/completions?x=1"),
            Key(headers: Headers("Bearer sk-two")),
            Key(headers: Headers(null)),
            Key(body: [.. Body, (byte)' ']),
            Key(generation: 1),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void MovingCharactersBetweenFieldsChangesTheKey()
    {
        var empty = new HeaderDictionary();
        var a = CacheKey.Compute("gw", 0, "openai", "/chat", empty, "x"u8);
        var b = CacheKey.Compute("gwo", 0, "penai", "/chat", empty, "x"u8);
        var c = CacheKey.Compute("gw", 0, "openai/", "chat", empty, "x"u8);
        var d = CacheKey.Compute("gw", 0, "openai", "/chatx", empty, ""u8);
        Assert.Equal(4, new[] { a, b, c, d }.Distinct().Count());
    }

    [Fact]
    public void PathAndQueryApartGiveTheKeyOfTheirConcatenation()
    {
        var headers = Headers();
        Assert.Equal(
            CacheKey.Compute("gw", 0, "openai", "/v1/models?limit=2", headers, Body),
            CacheKey.Compute("gw", 0, "openai", "/v1/models", "?limit=2", headers, Body));
        string longPath = "/v1/" + new string('p', 600);
        Assert.Equal(
            CacheKey.Compute("gw", 0, "openai", longPath + "?x=1", headers, Body),
            CacheKey.Compute("gw", 0, "openai", longPath, "?x=1", headers, Body));
    }

    [Fact]
    public void EachCredentialHeaderChangesTheKeyAndIsNotInterchangeable()
    {
        var keys = new List<CacheKey> { Key(headers: new HeaderDictionary()) };
        foreach (var name in new[] { "Authorization", "x-api-key", "x-goog-api-key", "api-key" })
        {
            keys.Add(Key(headers: new HeaderDictionary { [name] = "secret" }));
        }

        keys.Add(Key(headers: new HeaderDictionary { ["x-api-key"] = "secret", ["api-key"] = "secret" }));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void CustomKeysAreScopedPerGatewayAndGeneration()
    {
        var a = CacheKey.ForCustomKey("gw", 0, "my-key");
        Assert.Equal(a, CacheKey.ForCustomKey("gw", 0, "my-key"));
        Assert.NotEqual(a, CacheKey.ForCustomKey("gw2", 0, "my-key"));
        Assert.NotEqual(a, CacheKey.ForCustomKey("gw", 1, "my-key"));
        Assert.NotEqual(a, CacheKey.ForCustomKey("gw", 0, "my-key2"));
    }

    [Fact]
    public void ACustomKeyNeverEqualsADerivedKey()
    {
        var derived = CacheKey.Compute("gw", 0, "", "", new HeaderDictionary(), ""u8);
        Assert.NotEqual(derived, CacheKey.ForCustomKey("gw", 0, ""));
    }

    [Fact]
    public void KeysRoundTripThroughTheirBytes()
    {
        var key = Key();
        var bytes = new byte[CacheKey.Size];
        key.CopyTo(bytes);
        Assert.Equal(key, CacheKey.FromBytes(bytes));
        Assert.Equal(Convert.ToHexStringLower(bytes), key.ToString());
    }

    [Fact]
    public void LargeBodiesHashAcrossThreadsConsistently()
    {
        var body = new byte[256 * 1024];
        new Random(7).NextBytes(body);
        var expected = Key(body: body);
        var results = new CacheKey[16];
        Parallel.For(0, results.Length, i => results[i] = Key(body: body));
        Assert.All(results, k => Assert.Equal(expected, k));
    }

    /// <summary>The documented layout, built the slow way: tag, kind, generation, then length-prefixed fields.</summary>
    private static string Reference(string gateway, long generation, string provider, string path, (string Name, string Value)[] credentials, byte[] body)
    {
        static void Field(MemoryStream s, ReadOnlySpan<byte> bytes)
        {
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(len, bytes.Length);
            s.Write(len);
            s.Write(bytes);
        }

        static ReadOnlySpan<byte> Utf16(string text) => MemoryMarshal.AsBytes(text.AsSpan());

        var cred = new MemoryStream();
        Span<byte> count = stackalloc byte[4];
        foreach (var name in new[] { "Authorization", "x-api-key", "x-goog-api-key", "api-key" })
        {
            var values = credentials.Where(c => c.Name == name).Select(c => c.Value).ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(count, values.Length);
            cred.Write(count);
            foreach (var v in values)
            {
                Field(cred, Utf16(v));
            }
        }

        var s = new MemoryStream();
        s.Write("gateway.fast/cache/v1"u8);
        s.WriteByte((byte)'D');
        Span<byte> gen = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(gen, generation);
        s.Write(gen);
        Field(s, Utf16(gateway));
        Field(s, Utf16(provider));
        Field(s, Utf16(path));
        Field(s, SHA256.HashData(cred.ToArray()));
        Field(s, body);
        return Convert.ToHexStringLower(SHA256.HashData(s.ToArray()));
    }

    [Theory]
    [InlineData(10, 20)]
    [InlineData(400, 20)]
    [InlineData(10, 600)]
    [InlineData(300, 300)]
    public void KeysFollowTheDocumentedLayoutForShortAndLongFields(int pathLength, int credentialLength)
    {
        string path = "/v1/" + new string('p', pathLength);
        string secret = new('s', credentialLength);
        var headers = new HeaderDictionary { ["x-api-key"] = secret, ["api-key"] = new[] { "a", secret } };
        var key = CacheKey.Compute("gw", 3, "anthropic", path, headers, Body);
        Assert.Equal(Reference("gw", 3, "anthropic", path, [("x-api-key", secret), ("api-key", "a"), ("api-key", secret)], Body), key.ToString());
    }

    [Fact]
    public void ARequestWithoutCredentialHeadersFollowsTheDocumentedLayoutToo()
    {
        // Such a request's credential digest is computed once, not per request: it must be the digest of four zero counts.
        var headers = new HeaderDictionary { ["User-Agent"] = "test", ["cf-aig-authorization"] = "Bearer gateway-token" };
        var key = CacheKey.Compute("gw", 2, "openai", "/v1/chat/completions", headers, Body);
        Assert.Equal(Reference("gw", 2, "openai", "/v1/chat/completions", [], Body), key.ToString());
        Assert.NotEqual(key, CacheKey.Compute("gw", 2, "openai", "/v1/chat/completions", new HeaderDictionary { ["api-key"] = "" }, Body));
    }
}
