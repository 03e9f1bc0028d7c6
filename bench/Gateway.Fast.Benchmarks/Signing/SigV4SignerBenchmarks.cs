using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Signing;

namespace Gateway.Fast.Benchmarks.Signing;

/// <summary>Signing one Converse request (1 KiB JSON body, session credentials) against the four steps written with strings.</summary>
/// <remarks>
/// The same <see cref="HttpRequestMessage"/> is signed each time: <see cref="SigV4Signer.Sign(HttpRequestMessage, ReadOnlySpan{byte}, AwsCredentials, string, DateTimeOffset, bool)"/>
/// replaces its earlier headers, as it does on a retried attempt. Both sides must allocate the header strings.
/// </remarks>
[MemoryDiagnoser]
public class SigV4SignerBenchmarks
{
    private static readonly AwsCredentials Credentials =
        new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example", "us-east-1");

    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private byte[] _body = [];
    private HttpRequestMessage _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("""{"system":[{"text":"You are terse."}],"messages":[{"role":"user","content":[{"text":""");
        text.Append('"').Append('x', 900).Append("\"}]}],\"inferenceConfig\":{\"maxTokens\":256}}");
        _body = Encoding.UTF8.GetBytes(text.ToString());
        _request = new HttpRequestMessage(HttpMethod.Post,
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse") { Content = new ByteArrayContent(_body) };
        _request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        SigV4Signer.Sign(_request, _body, Credentials, "bedrock", Now);
        string signed = _request.Headers.NonValidated["Authorization"].ToString();
        if (signed != Naive())
        {
            throw new InvalidOperationException($"Sign and the baseline disagree: {signed} vs {Naive()}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _request.Dispose();

    [Benchmark(Baseline = true)]
    public string Strings() => Naive();

    [Benchmark]
    public int Sign()
    {
        SigV4Signer.Sign(_request, _body, Credentials, "bedrock", Now);
        return _request.Headers.Count();
    }

    /// <summary>The AWS documentation's steps with string concatenation and a fresh key derivation.</summary>
    private string Naive()
    {
        string date = Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string canonical = "POST\n/model/amazon.nova-pro-v1%253A0/converse\n\ncontent-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n"
            + "x-amz-date:" + date + "\nx-amz-security-token:" + Credentials.SessionToken + "\n\ncontent-type;host;x-amz-date;x-amz-security-token\n"
            + Convert.ToHexStringLower(SHA256.HashData(_body));
        string scope = date[..8] + "/us-east-1/bedrock/aws4_request";
        string sts = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + Credentials.SecretAccessKey);
        foreach (string part in new[] { date[..8], "us-east-1", "bedrock", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return "AWS4-HMAC-SHA256 Credential=" + Credentials.AccessKeyId + "/" + scope
            + ", SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
            + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sts)));
    }
}
