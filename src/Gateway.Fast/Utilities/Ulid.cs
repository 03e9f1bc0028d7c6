using System.Security.Cryptography;

namespace Gateway.Fast.Utilities;

/// <summary>ULIDs for log ids (<c>cf-aig-log-id</c>, e.g. <c>01JADMCQQQBWH3NXZ5GCRN98DP</c>): 48-bit ms time, 80 random bits, Crockford base32.</summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid(TimeProvider time) => NewUlid(time.GetUtcNow().ToUnixTimeMilliseconds());

    public static string NewUlid(long unixMilliseconds)
    {
        return string.Create(26, unixMilliseconds, static (chars, ms) =>
        {
            // 10 chars of time, most significant first (5 bits each, 50 bits cover the 48-bit value).
            for (int i = 9; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(ms & 31)];
                ms >>= 5;
            }

            Span<byte> random = stackalloc byte[10];
            RandomNumberGenerator.Fill(random);
            // 80 bits → 16 chars: take the bytes as two 40-bit halves.
            ulong hi = ((ulong)random[0] << 32) | ((ulong)random[1] << 24) | ((ulong)random[2] << 16) | ((ulong)random[3] << 8) | random[4];
            ulong lo = ((ulong)random[5] << 32) | ((ulong)random[6] << 24) | ((ulong)random[7] << 16) | ((ulong)random[8] << 8) | random[9];
            for (int i = 17; i >= 10; i--)
            {
                chars[i] = Alphabet[(int)(hi & 31)];
                hi >>= 5;
            }

            for (int i = 25; i >= 18; i--)
            {
                chars[i] = Alphabet[(int)(lo & 31)];
                lo >>= 5;
            }
        });
    }
}
