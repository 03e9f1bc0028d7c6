using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Fast.Compat;
using Gateway.Fast.Compat.Bedrock;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Providers;
using Gateway.Fast.Signing;
using Microsoft.Extensions.Options;

namespace Gateway.Fast.Tests.Compat.Bedrock;

/// <summary>
/// The path the translator writes, through the gateway's URL builder, into a signed request: the model id's <c>%3A</c>
/// reaches the wire unchanged and is signed as <c>%253A</c>, the way AWS recomputes it.
/// </summary>
public sealed class BedrockSigningChainTests
{
    [Theory]
    [InlineData("nova-pro", false, "/model/amazon.nova-pro-v1%3A0/converse", "/model/amazon.nova-pro-v1%253A0/converse")]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true,
        "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream", "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse-stream")]
    public void TranslatedPath_KeepsItsEscapesOnTheWireAndInTheSignature(string model, bool stream, string wirePath, string canonicalPath)
    {
        using var doc = JsonDocument.Parse("""{"messages":[{"role":"user","content":"hi"}]}""");
        var body = new ArrayBufferWriter<byte>();
        Assert.Null(new BedrockConverseTranslator().WriteRequest(new CompatChatRequest(doc.RootElement, model, stream, false), body, out string path));
        Assert.True(new ProviderRegistry(Options.Create(new GatewayOptions())).TryGet("aws-bedrock", out var provider));
        Assert.Equal(GatewayError.None, UpstreamUrl.TryBuild(provider, "bedrock-runtime/eu-central-1/" + path, "", "", out string url));

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body.WrittenSpan.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "eu-central-1");
        var now = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        SigV4Signer.Sign(request, body.WrittenSpan, credentials, "bedrock", now);

        Assert.Equal("https://bedrock-runtime.eu-central-1.amazonaws.com" + wirePath, url);
        Assert.Equal(wirePath, request.RequestUri!.PathAndQuery);
        string canonical = string.Join('\n', "POST", canonicalPath, "", "content-type:application/json",
            "host:bedrock-runtime.eu-central-1.amazonaws.com", "x-amz-date:20250601T000000Z", "",
            "content-type;host;x-amz-date", Convert.ToHexStringLower(SHA256.HashData(body.WrittenSpan)));
        string sts = "AWS4-HMAC-SHA256\n20250601T000000Z\n20250601/eu-central-1/bedrock/aws4_request\n"
            + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(
            SigV4KeyCache.Derive(credentials.SecretAccessKey, "20250601", "eu-central-1", "bedrock"), Encoding.UTF8.GetBytes(sts)));
        Assert.EndsWith("Signature=" + signature, Assert.Single(request.Headers.NonValidated["Authorization"]), StringComparison.Ordinal);
    }
}
