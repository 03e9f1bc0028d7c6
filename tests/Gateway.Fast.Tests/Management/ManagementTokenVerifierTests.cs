using System.Security.Cryptography;
using System.Text;
using Gateway.Fast.Management;
using Gateway.Fast.Tests.Storage;
using Microsoft.AspNetCore.Http;
using Xunit;

using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Management;

public sealed class ManagementTokenVerifierTests : IDisposable
{
    private const string Prefix = "Management API token (shown once): ";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AConfiguredTokenIsUsedAndNothingIsPrintedOrSaved()
    {
        var console = new StringWriter();

        var verifier = ManagementTokenVerifier.Create("configured-token", _dir.Path, console);

        Assert.True(verifier.Verify("configured-token"));
        Assert.False(verifier.Verify("configured-tokem"));
        Assert.False(verifier.Verify(""));
        Assert.Equal("", console.ToString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, ManagementTokenVerifier.HashFileName)));
    }

    [Fact]
    public void WithoutATokenTheFirstStartPrintsOneOnceAndSavesOnlyItsHash()
    {
        var first = new StringWriter();
        var verifier = ManagementTokenVerifier.Create(null, _dir.Path, first);

        var line = Assert.Single(first.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(Prefix, line);
        var token = line[Prefix.Length..].Trim();
        Assert.StartsWith("gfm_", token);
        Assert.Equal(4 + 43, token.Length);
        Assert.True(verifier.Verify(token));

        var saved = File.ReadAllText(Path.Combine(_dir.Path, ManagementTokenVerifier.HashFileName));
        Assert.DoesNotContain(token, saved);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), saved);

        var second = new StringWriter();
        var restarted = ManagementTokenVerifier.Create("  ", _dir.Path, second);
        Assert.Equal("", second.ToString());
        Assert.True(restarted.Verify(token));
    }

    [Fact]
    public void ACorruptHashFileFailsStartUpInsteadOfSilentlyIssuingANewToken()
    {
        File.WriteAllText(Path.Combine(_dir.Path, ManagementTokenVerifier.HashFileName), "not-a-hash");

        Assert.Throws<InvalidDataException>(() => ManagementTokenVerifier.Create(null, _dir.Path, TextWriter.Null));
    }

    [Theory]
    [InlineData("Authorization", "Bearer secret-token", true)]
    [InlineData("Authorization", "bearer secret-token", true)]
    [InlineData("Authorization", "Bearer  secret-token ", true)]
    [InlineData("Authorization", "secret-token", false)]
    [InlineData("Authorization", "Bearer secret-token2", false)]
    [InlineData("X-Auth-Key", "secret-token", true)]
    [InlineData("X-Auth-Key", "Bearer secret-token", false)]
    [InlineData("X-Auth-Email", "secret-token", false)]
    public void TheTokenIsReadFromAuthorizationBearerOrXAuthKey(string header, string value, bool expected)
    {
        var verifier = ManagementTokenVerifier.Create("secret-token", _dir.Path, TextWriter.Null);
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;

        Assert.Equal(expected, verifier.IsAuthorized(context.Request));
    }

    [Fact]
    public void ALongPresentedTokenIsHashedWithoutFailing()
    {
        var verifier = ManagementTokenVerifier.Create("secret-token", _dir.Path, TextWriter.Null);

        Assert.False(verifier.Verify(new string('x', 10_000)));
    }
}
