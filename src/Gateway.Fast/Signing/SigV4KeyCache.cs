using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Fast.Signing;

/// <summary>
/// The derived SigV4 signing key per (secret, region, service), kept for the UTC day it is valid for: deriving it costs
/// four HMACs, and every request of the day would otherwise repeat them.
/// </summary>
/// <remarks>
/// An entry is immutable (day + key) and replaced whole when the day changes, so readers need no lock. Credentials come
/// from configuration, so the set is small; should it ever pass <see cref="MaxEntries"/> (credentials rotated many
/// times in one process) the cache is simply emptied rather than grown.
/// </remarks>
internal static class SigV4KeyCache
{
    private const int MaxEntries = 1024;
    private static readonly ConcurrentDictionary<(string Secret, string Region, string Service), Entry> Keys = new();

    /// <summary>The signing key for <paramref name="date"/> (<c>yyyyMMdd</c>).</summary>
    public static byte[] Get(string secret, ReadOnlySpan<char> date, string region, string service)
    {
        int day = int.Parse(date, provider: System.Globalization.CultureInfo.InvariantCulture);
        var key = (secret, region, service);
        if (Keys.TryGetValue(key, out var entry) && entry.Day == day)
        {
            return entry.Key;
        }

        entry = new Entry(day, Derive(secret, date, region, service));
        if (Keys.Count >= MaxEntries)
        {
            Keys.Clear();
        }

        Keys[key] = entry;
        return entry.Key;
    }

    /// <summary>kDate = HMAC("AWS4" + secret, date); kRegion; kService; kSigning = HMAC(kService, "aws4_request").</summary>
    public static byte[] Derive(string secret, ReadOnlySpan<char> date, string region, string service)
    {
        Span<byte> key = stackalloc byte[32];
        Span<byte> text = stackalloc byte[256];
        int secretBytes = Encoding.UTF8.GetMaxByteCount(secret.Length) + 4;
        Span<byte> kSecret = secretBytes <= 256 ? stackalloc byte[256] : new byte[secretBytes];
        "AWS4"u8.CopyTo(kSecret);
        int n = 4 + Encoding.UTF8.GetBytes(secret, kSecret[4..]);
        HMACSHA256.HashData(kSecret[..n], text[..Encoding.UTF8.GetBytes(date, text)], key);
        kSecret[..n].Clear();
        HMACSHA256.HashData(key, text[..Encoding.UTF8.GetBytes(region, text)], key);
        HMACSHA256.HashData(key, text[..Encoding.UTF8.GetBytes(service, text)], key);
        var signing = new byte[32];
        HMACSHA256.HashData(key, "aws4_request"u8, signing);
        return signing;
    }

    private sealed record Entry(int Day, byte[] Key);
}
