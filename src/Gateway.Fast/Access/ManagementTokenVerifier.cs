using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Access;

/// <summary>
/// Checks the management token (docs/gateway-api.md#management-token) against the SHA-256 it keeps; the token itself is
/// never held. A presented token is hashed by <see cref="TokenHasher"/> and read from its header by
/// <see cref="GatewayAccess.TryReadBearer"/>, as every other gateway credential is.
/// </summary>
/// <remarks>
/// Source, in order: <c>CF_AIG_MANAGEMENT_API_TOKEN</c> from configuration; else the hash saved under the data folder by an
/// earlier start; else a new random token (<c>gfm_</c> + 32 random bytes, base64url), printed once to stdout, its hash saved.
/// </remarks>
public sealed class ManagementTokenVerifier
{
    /// <summary>Configuration key (and environment variable) holding the management token.</summary>
    public const string ConfigurationKey = "CF_AIG_MANAGEMENT_API_TOKEN";

    /// <summary>File under the data folder holding the generated token's SHA-256, as lowercase hex.</summary>
    public const string HashFileName = "management-token.sha256";

    private const string TokenPrefix = "gfm_";

    private readonly byte[] _hash;

    private ManagementTokenVerifier(byte[] hash) => _hash = hash;

    /// <summary>Resolves the token as described on the type; <paramref name="console"/> receives the one-time print.</summary>
    public static ManagementTokenVerifier Create(string? configuredToken, string dataPath, TextWriter console)
    {
        if (!string.IsNullOrWhiteSpace(configuredToken))
        {
            // A longer token could never be presented: TokenHasher refuses it before hashing. Say so at start.
            if (configuredToken.Length > TokenHasher.MaxTokenChars)
            {
                throw new InvalidOperationException(
                    $"{ConfigurationKey} is longer than {TokenHasher.MaxTokenChars} characters; choose a shorter token.");
            }

            return new(TokenHasher.Hash(configuredToken));
        }

        var file = Path.Combine(dataPath, HashFileName);
        if (File.Exists(file))
        {
            var hex = File.ReadAllText(file).Trim();
            if (hex.Length != SHA256.HashSizeInBytes * 2 || !IsHex(hex))
            {
                throw new InvalidDataException(
                    $"'{file}' does not hold a SHA-256 in hex. Delete it to generate a new management token, or set {ConfigurationKey}.");
            }

            return new(Convert.FromHexString(hex));
        }

        var token = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var hash = TokenHasher.Hash(token);
        SaveHash(file, hash);

        // The only place the token is ever written out: it is shown once and never logged.
        console.WriteLine($"Management API token (shown once): {token}");
        console.Flush();
        return new(hash);
    }

    /// <summary>True when <paramref name="token"/> hashes to the kept SHA-256; the comparison takes constant time.</summary>
    public bool Verify(ReadOnlySpan<char> token)
    {
        Span<byte> digest = stackalloc byte[TokenHasher.Size];
        return TokenHasher.TryHash(token, digest) && VerifyDigest(digest);
    }

    /// <summary>True when <paramref name="digest"/> is the token's SHA-256, for callers that hashed the token already; constant time.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest) => CryptographicOperations.FixedTimeEquals(digest, _hash);

    /// <summary>True when the request carries the token as <c>Authorization: Bearer</c> or <c>X-Auth-Key</c>.</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        foreach (var value in request.Headers.Authorization)
        {
            if (GatewayAccess.TryReadBearer(value, out var token) && Verify(token))
            {
                return true;
            }
        }

        foreach (var value in request.Headers["X-Auth-Key"])
        {
            if (value is not null && Verify(value.AsSpan().Trim()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void SaveHash(string file, byte[] hash)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash)));
            stream.Flush(flushToDisk: true);
        }

        // Rename last, so a crash leaves either no file (a new token next start) or a whole one.
        File.Move(temp, file, overwrite: true);
    }
}
