using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Signing;
using Gateway.Fast.Tests.Simulator;
using Gateway.Fast.Utilities;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Fast.Tests.Signing;

/// <summary>Signing a real <see cref="HttpRequestMessage"/>: the headers set, the URI taken from the wire form, the clock.</summary>
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials Credentials =
        new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "us-east-1");

    [Fact]
    public void BedrockMantleFixture_HttpRequestSignsLikeTheOpenAISdk()
    {
        using var doc = JsonDocument.Parse(FixtureFiles.ReadText("sigv4/bedrock-mantle-post-json-sigv4.json"));
        var root = doc.RootElement;
        var c = root.GetProperty("credentials");
        var credentials = new AwsCredentials(c.GetProperty("accessKeyId").GetString()!, c.GetProperty("secretAccessKey").GetString()!,
            c.GetProperty("sessionToken").GetString(), root.GetProperty("region").GetString()!);
        var req = root.GetProperty("request");
        byte[] body = Encoding.UTF8.GetBytes(req.GetProperty("body").GetString()!);
        using var request = new HttpRequestMessage(HttpMethod.Post, req.GetProperty("url").GetString()) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(req.GetProperty("contentType").GetString()!);
        var now = DateTimeOffset.Parse(root.GetProperty("signingDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        SigV4Signer.Sign(request, body, credentials, root.GetProperty("service").GetString()!, now, addContentSha256: true);

        var expected = root.GetProperty("expected");
        Assert.Equal(expected.GetProperty("authorization").GetString(), Single(request, "Authorization"));
        Assert.Equal(expected.GetProperty("date").GetString(), Single(request, "X-Amz-Date"));
        Assert.Equal(expected.GetProperty("payloadHash").GetString(), Single(request, "X-Amz-Content-Sha256"));
        Assert.Equal("fixture-session-token", Single(request, "X-Amz-Security-Token"));
    }

    [Fact]
    public void ConversePath_ColonEncodedOnTheWire_IsEncodedAgainInTheCanonicalUri()
    {
        var uri = new Uri("https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse");
        Assert.Equal("/model/amazon.nova-pro-v1%3A0/converse", uri.AbsolutePath); // what HttpClient sends
        var b = new ByteBuilder(64);
        try
        {
            SigV4Canonical.WriteUri(ref b, uri.AbsolutePath);
            Assert.Equal("/model/amazon.nova-pro-v1%253A0/converse", b.ToString());
        }
        finally
        {
            b.Dispose();
        }
    }

    [Fact]
    public void ConverseRequest_MatchesAnIndependentStringBuiltSignature()
    {
        byte[] body = """{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}"""u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            "https://bedrock-runtime.eu-west-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "not-signed/1.0");
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-1", "eu-west-1");
        var now = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

        SigV4Signer.Sign(request, body, credentials, "bedrock", now);

        // The same four steps written plainly with strings, as the AWS documentation spells them.
        string canonical = string.Join('\n',
            "POST",
            "/model/amazon.nova-pro-v1%253A0/converse",
            "",
            "content-type:application/json",
            "host:bedrock-runtime.eu-west-1.amazonaws.com",
            "x-amz-date:20250304T050607Z",
            "x-amz-security-token:session-token-1",
            "",
            "content-type;host;x-amz-date;x-amz-security-token",
            Convert.ToHexStringLower(SHA256.HashData(body)));
        string sts = "AWS4-HMAC-SHA256\n20250304T050607Z\n20250304/eu-west-1/bedrock/aws4_request\n"
            + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey);
        foreach (string part in new[] { "20250304", "eu-west-1", "bedrock", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sts)));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250304/eu-west-1/bedrock/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=" + signature,
            Single(request, "Authorization"));
        Assert.False(request.Headers.Contains("X-Amz-Content-Sha256"));
    }

    [Fact]
    public void SigningTwice_ReplacesTheEarlierSignatureAndDate()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        var clock = new FakeTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        SigV4Signer.Sign(request, default, Credentials, "service", clock);
        // The classic suite's get-vanilla: only host and x-amz-date are signed.
        Assert.Equal(FixtureFiles.ReadText("sigv4/get-vanilla/get-vanilla.authz"), Single(request, "Authorization"));

        clock.Advance(TimeSpan.FromDays(1));
        SigV4Signer.Sign(request, default, Credentials, "service", clock);

        Assert.Equal("20150831T123600Z", Single(request, "X-Amz-Date"));
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=",
            Single(request, "Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public void NonDefaultPort_IsPartOfTheSignedHost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:8123/model/x/converse");
        var now = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
        SigV4Signer.Sign(request, default, Credentials, "bedrock", now);

        var headers = new[] { new SigV4Header("host", "127.0.0.1:8123"), new SigV4Header("x-amz-date", "20150830T123600Z") };
        string expected = SigV4Signer.Authorize("GET", "/model/x/converse", "", headers,
            Convert.ToHexStringLower(SHA256.HashData([])), "20150830T123600Z", Credentials, "bedrock");
        Assert.Equal(expected, Single(request, "Authorization"));
    }

    [Fact]
    public void CachedSigningKey_IsTheDerivedKeyOfThatDay()
    {
        byte[] first = SigV4KeyCache.Get("secret-a", "20250101", "us-east-1", "bedrock");
        Assert.Same(first, SigV4KeyCache.Get("secret-a", "20250101", "us-east-1", "bedrock"));
        byte[] next = SigV4KeyCache.Get("secret-a", "20250102", "us-east-1", "bedrock");
        Assert.Equal(SigV4KeyCache.Derive("secret-a", "20250102", "us-east-1", "bedrock"), next);
        Assert.NotEqual(first, next);
    }

    [Fact]
    public void Credentials_ToStringNamesNeitherSecretNorToken()
    {
        var credentials = new AwsCredentials("AKIDEXAMPLE", "very-secret", "very-secret-token", "us-east-1");
        string text = credentials.ToString();
        Assert.DoesNotContain("very-secret", text, StringComparison.Ordinal);
        Assert.Contains("us-east-1", text, StringComparison.Ordinal);
    }

    private static string Single(HttpRequestMessage request, string name) => Assert.Single(request.Headers.NonValidated[name]);
}
