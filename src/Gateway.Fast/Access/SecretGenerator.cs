using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Fast.Access;

/// <summary>Makes the secrets the gateway hands out, and the short hint that may be shown in their place.</summary>
internal static class SecretGenerator
{
    /// <summary>Prefix of gateway tokens: recognisable in a leak scan, as GitHub's <c>ghp_</c> is.</summary>
    public const string GatewayTokenPrefix = "cfut_";

    /// <summary>Prefix of team keys (docs/gateway-api.md#team-api-keys).</summary>
    public const string TeamKeyPrefix = "sk_";

    private const int SecretBytes = 32;

    /// <summary><c>cfut_</c> + 32 random bytes, base64url (48 characters in all).</summary>
    public static string NewGatewayToken() => GatewayTokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary><c>sk_</c> + 64 lowercase hex digits (docs/gateway-api.md#team-api-keys).</summary>
    public static string NewTeamKey() => TeamKeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>A public id for a stored credential: 16 random bytes, hex.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The last 4 characters, or nothing when the secret is too short for 4 characters to be safe to show.</summary>
    public static string Hint(ReadOnlySpan<char> secret) => secret.Length >= 12 ? new string(secret[^4..]) : "";
}
