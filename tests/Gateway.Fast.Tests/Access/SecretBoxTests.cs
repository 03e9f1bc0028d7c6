using System.Text;
using Gateway.Fast.Access;
using Gateway.Fast.Tests.Infrastructure;

namespace Gateway.Fast.Tests.Access;

/// <summary>Sealing of stored provider secrets, and where the master key comes from.</summary>
public sealed class SecretBoxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static MasterKey NewKey() => MasterKey.Resolve(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), "unused");

    [Fact]
    public void Sealed_OpensOnlyForTheSameKeyGatewayProviderAndAlias()
    {
        var key = NewKey();
        var box = SecretBox.Seal(key, "sk-plain-secret", "gw", "openai", "default");

        Assert.True(SecretBox.TryOpen(key, box, "gw", "openai", "default", out var plain));
        Assert.Equal("sk-plain-secret", plain);
        Assert.False(SecretBox.TryOpen(key, box, "other-gw", "openai", "default", out _));
        Assert.False(SecretBox.TryOpen(key, box, "gw", "anthropic", "default", out _));
        Assert.False(SecretBox.TryOpen(key, box, "gw", "openai", "prod", out _));
        Assert.False(SecretBox.TryOpen(NewKey(), box, "gw", "openai", "default", out _));
        box[^1] ^= 1;
        Assert.False(SecretBox.TryOpen(key, box, "gw", "openai", "default", out _));
    }

    [Fact]
    public void Sealed_HoldsNoPlaintext_AndNeverRepeatsANonce()
    {
        var key = NewKey();
        var a = SecretBox.Seal(key, "sk-plain-secret", "gw", "openai", "default");
        var b = SecretBox.Seal(key, "sk-plain-secret", "gw", "openai", "default");

        Assert.Equal(-1, a.AsSpan().IndexOf(Encoding.UTF8.GetBytes("plain")));
        Assert.False(a.AsSpan(1, 12).SequenceEqual(b.AsSpan(1, 12)));
        Assert.False(a.AsSpan().SequenceEqual(b));
    }

    [Fact]
    public void MasterKey_IsCreatedOnceWithOwnerOnlyMode_ThenReused()
    {
        var first = MasterKey.Resolve(null, _dir.Path);
        var file = Path.Combine(_dir.Path, MasterKey.FileName);

        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var second = MasterKey.Resolve(null, _dir.Path);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(32, first.Key.Length);
    }

    [Fact]
    public void MasterKey_FromConfiguration_WinsAndWritesNoFile()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        var key = MasterKey.Resolve(Convert.ToBase64String(bytes), _dir.Path);

        Assert.Equal(bytes, key.Key);
        Assert.False(File.Exists(Path.Combine(_dir.Path, MasterKey.FileName)));
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("c2hvcnQ=")]
    public void MasterKey_Malformed_FailsWithoutEchoingTheValue(string value)
    {
        var error = Assert.Throws<InvalidDataException>(() => MasterKey.Resolve(value, _dir.Path));

        Assert.DoesNotContain(value, error.Message);
        Assert.Contains(MasterKey.ConfigurationKey, error.Message);
    }
}
