using System.Text;

namespace Gateway.Fast.Caching;

/// <summary>
/// The strings of stored header names and values, kept from one cache HIT to the next: replaying an entry sets the same
/// few headers (<c>Content-Type: application/json</c>) every time, and decoding them anew made two strings per header
/// per HIT.
/// </summary>
/// <remarks>
/// A small direct-mapped table: each slot holds the last string decoded for the bytes that hash to it, and is reused
/// while the bytes are equal to it. A miss decodes as before and takes the slot, so a value that changes with every
/// entry costs no more than it did. Only short ASCII strings are kept (compared to the bytes without decoding them);
/// slots are written without locks: a lost race decodes once more.
/// </remarks>
internal static class HeaderStringCache
{
    private const int Slots = 64; // a power of two
    private const int MaxCachedBytes = 128;
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The string of <paramref name="utf8"/>, the cached one when it is equal.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedBytes || !Ascii.IsValid(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        int slot = HashOf(utf8) & (Slots - 1);
        var cached = Volatile.Read(ref Table[slot]);
        if (cached is not null && Ascii.Equals(utf8, cached))
        {
            return cached;
        }

        var value = Encoding.ASCII.GetString(utf8);
        Volatile.Write(ref Table[slot], value);
        return value;
    }

    private static int HashOf(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }
}
