using System.Text;
using Gateway.Fast.Signing;
using Gateway.Fast.Tests.Simulator;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Tests.Signing;

/// <summary>One AWS SigV4 test-suite request (<c>.req</c> / <c>request.txt</c>), parsed the way the suite writes it.</summary>
internal sealed class SigV4Vector
{
    public static readonly AwsCredentials SuiteCredentials =
        new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "us-east-1");

    public const string SuiteService = "service";
    public const string SuiteDate = "20150830T123600Z";

    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Query { get; init; }
    public required List<SigV4Header> Headers { get; init; }
    public required byte[] Body { get; init; }

    /// <summary>
    /// <c>METHOD /path?query HTTP/1.1</c>, then <c>Name:value</c> lines (a line starting with whitespace continues
    /// the previous value), a blank line, the body. The path stays as the suite wrote it (raw UTF-8, spaces).
    /// </summary>
    public static SigV4Vector Parse(string relative)
    {
        byte[] raw = File.ReadAllBytes(System.IO.Path.Combine(FixtureFiles.Root, "sigv4", relative));
        string text = Encoding.UTF8.GetString(raw);
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        string head = blank < 0 ? text : text[..blank];
        byte[] body = blank < 0 ? [] : Encoding.UTF8.GetBytes(text[(blank + 2)..]);
        string[] lines = head.Split('\n');
        string requestLine = lines[0];
        string method = requestLine[..requestLine.IndexOf(' ')];
        string target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        int q = target.IndexOf('?');
        var headers = new List<SigV4Header>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]))
            {
                var last = headers[^1];
                headers[^1] = last with { Value = last.Value + "\n" + line };
                continue;
            }

            int colon = line.IndexOf(':');
            headers.Add(new SigV4Header(line[..colon], line[(colon + 1)..]));
        }

        return new SigV4Vector
        {
            Method = method,
            Path = q < 0 ? target : target[..q],
            Query = q < 0 ? string.Empty : target[(q + 1)..],
            Headers = headers,
            Body = body,
        };
    }

    /// <summary>Runs steps 1 to 4 and returns each intermediate as text.</summary>
    public (string CanonicalRequest, string StringToSign, string Signature, string Authorization) Sign(
        AwsCredentials credentials, string service, string amzDate)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Body);
        string payloadHex = Convert.ToHexStringLower(hash);
        var canonical = new ByteBuilder(256);
        var signed = new ByteBuilder(64);
        var sts = new ByteBuilder(256);
        try
        {
            var headers = Headers.ToArray();
            SigV4Canonical.WriteCanonicalRequest(ref canonical, Method, Path, Query, headers, payloadHex, ref signed);
            SigV4Signer.WriteStringToSign(ref sts, amzDate, credentials.Region, service, canonical.Written);
            var signature = new char[64];
            SigV4Signer.ComputeSignature(SigV4KeyCache.Derive(credentials.SecretAccessKey, amzDate.AsSpan(0, 8), credentials.Region, service),
                sts.Written, signature);
            string authorization = SigV4Signer.Authorize(Method, Path, Query, Headers.ToArray(), payloadHex, amzDate, credentials, service);
            return (canonical.ToString(), sts.ToString(), new string(signature), authorization);
        }
        finally
        {
            canonical.Dispose();
            signed.Dispose();
            sts.Dispose();
        }
    }
}
