using System.Collections.Concurrent;
using System.Text;

namespace Gateway.Fast.Caching;

/// <summary>
/// The strings of stored header names and values, kept from one cache HIT to the next: replaying an entry sets the same
/// few headers (<c>Content-Type: application/json</c>) every time, and decoding them anew made two strings per header
/// per HIT.
/// </summary>
/// <remarks>
/// Short ASCII strings are widened into a stack buffer and looked up by that span (the dictionary's alternate lookup), so
/// a known string costs one hash and one compare and allocates nothing. The first <see cref="Capacity"/> distinct strings
/// are kept; past that, strings are decoded every time, so values that change with every entry cannot grow it. A
/// direct-mapped table was tried first: with the process's randomised string hashing, <c>Content-Type</c> and its value
/// shared a slot in some runs and evicted each other on every HIT.
/// </remarks>
internal static class HeaderStringCache
{
    private const int Capacity = 1_024;
    private const int MaxCachedBytes = 128;
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int _count;

    /// <summary>The string of <paramref name="utf8"/>, the cached one when it is known.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxCachedBytes];
        if (Ascii.ToUtf16(utf8, chars, out int written) != System.Buffers.OperationStatus.Done)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        chars = chars[..written];
        if (ByChars.TryGetValue(chars, out var cached))
        {
            return cached;
        }

        var value = new string(chars);
        if (Volatile.Read(ref _count) < Capacity && Known.TryAdd(value, value))
        {
            Interlocked.Increment(ref _count);
        }

        return value;
    }
}
