using System.Security.Cryptography;
using System.Text;

namespace Gateway.Fast.Access;

/// <summary>AES-256-GCM sealing of stored provider secrets, bound to the gateway, provider and alias they were stored for.</summary>
/// <remarks>
/// <code>
/// sealed = version(1) nonce(12, random per secret) ciphertext(n) tag(16)
/// aad    = "gateway.fast/byok/v1" 0 gateway-id 0 provider 0 alias   (UTF-8)
/// </code>
/// The associated data means a ciphertext copied onto another gateway's or provider's record fails to open instead of
/// handing that gateway the secret. Cold path only: secrets are opened once, at start-up or when stored.
/// </remarks>
internal static class SecretBox
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int Overhead = 1 + NonceSize + TagSize;

    public static byte[] Seal(MasterKey key, string plaintext, string gatewayId, string provider, string alias)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[Overhead + plain.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize, plain.Length), output.AsSpan(output.Length - TagSize),
                AssociatedData(gatewayId, provider, alias));
        }

        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    /// <summary>The secret, or false when the box was sealed with another key or for another gateway, provider or alias.</summary>
    public static bool TryOpen(MasterKey key, byte[] box, string gatewayId, string provider, string alias, out string plaintext)
    {
        plaintext = "";
        if (box.Length < Overhead || box[0] != Version)
        {
            return false;
        }

        var plain = new byte[box.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key.Key, TagSize);
            aes.Decrypt(box.AsSpan(1, NonceSize), box.AsSpan(1 + NonceSize, plain.Length), box.AsSpan(box.Length - TagSize), plain,
                AssociatedData(gatewayId, provider, alias));
            plaintext = Encoding.UTF8.GetString(plain);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static byte[] AssociatedData(string gatewayId, string provider, string alias)
        => Encoding.UTF8.GetBytes($"gateway.fast/byok/v1\0{gatewayId}\0{provider}\0{alias}");
}
