using System.Text.Json;
using Gateway.Fast.Signing;
using Gateway.Fast.Tests.Simulator;

namespace Gateway.Fast.Tests.Signing;

/// <summary>Every AWS Signature Version 4 test vector in fixtures/sigv4: canonical request, string to sign and signature, each exact.</summary>
public sealed class SigV4TestSuiteTests
{
    public static TheoryData<string> ClassicCases()
    {
        var data = new TheoryData<string>();
        string root = Path.Combine(FixtureFiles.Root, "sigv4");
        foreach (string req in Directory.EnumerateFiles(root, "*.req", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, req)[..^4].Replace('\\', '/'));
        }

        return data;
    }

    public static TheoryData<string> CrtCases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.EnumerateDirectories(Path.Combine(FixtureFiles.Root, "sigv4", "crt-v4")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Fact]
    public void TheSuiteHasEveryKeptCase()
    {
        // 17 classic top-level cases + 7 normalize-path + 2 post-sts-token, and the 4 CRT cases (fixtures/README.md).
        Assert.Equal(26, ClassicCases().Count);
        Assert.Equal(4, CrtCases().Count);
    }

    [Theory]
    [MemberData(nameof(ClassicCases))]
    public void ClassicCase_CanonicalRequestStringToSignAndAuthorizationMatch(string name)
    {
        var vector = SigV4Vector.Parse(name + ".req");
        var (canonical, sts, signature, authorization) =
            vector.Sign(SigV4Vector.SuiteCredentials, SigV4Vector.SuiteService, SigV4Vector.SuiteDate);

        Assert.Equal(Read(name + ".creq"), canonical);
        Assert.Equal(Read(name + ".sts"), sts);
        string expectedAuthorization = Read(name + ".authz");
        Assert.Equal(expectedAuthorization, authorization);
        Assert.EndsWith("Signature=" + signature, expectedAuthorization, StringComparison.Ordinal);
        Assert.Contains("Authorization: " + expectedAuthorization, Read(name + ".sreq"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CrtCases))]
    public void CrtCase_HeaderSigningMatches(string name)
    {
        string dir = "crt-v4/" + name + "/";
        using var context = JsonDocument.Parse(Read(dir + "context.json"));
        var root = context.RootElement;
        var creds = root.GetProperty("credentials");
        string? token = creds.TryGetProperty("token", out var t) ? t.GetString() : null;
        var credentials = new AwsCredentials(creds.GetProperty("access_key_id").GetString()!,
            creds.GetProperty("secret_access_key").GetString()!, token, root.GetProperty("region").GetString()!);
        string service = root.GetProperty("service").GetString()!;
        string amzDate = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var vector = SigV4Vector.Parse(dir + "request.txt");
        // What a signer adds before signing: the date, the session token, and with sign_body the payload hash header.
        vector.Headers.Add(new SigV4Header("X-Amz-Date", amzDate));
        if (token is not null)
        {
            vector.Headers.Add(new SigV4Header("X-Amz-Security-Token", token));
        }

        if (root.GetProperty("sign_body").GetBoolean())
        {
            vector.Headers.Add(new SigV4Header("x-amz-content-sha256",
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(vector.Body))));
        }

        var (canonical, sts, signature, authorization) = vector.Sign(credentials, service, amzDate);

        Assert.Equal(Read(dir + "header-canonical-request.txt"), canonical);
        Assert.Equal(Read(dir + "header-string-to-sign.txt"), sts);
        Assert.Equal(Read(dir + "header-signature.txt").Trim(), signature);
        Assert.Contains("Authorization:" + authorization + "\n", Read(dir + "header-signed-request.txt"), StringComparison.Ordinal);
    }

    private static string Read(string relative) => FixtureFiles.ReadText(Path.Combine("sigv4", relative));
}
