using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Json;

/// <summary>Reads the text of a <see cref="Utf8JsonReader"/> string token without a <see cref="string"/>.</summary>
internal static class Utf8JsonStrings
{
    /// <summary>
    /// The current string token's UTF-8 text: the document's own bytes when it has no escapes (the common case, no copy),
    /// else unescaped into <paramref name="scratch"/>, a pooled array swapped for a bigger one (at least
    /// <paramref name="minimumRent"/> bytes) when too short. The result is valid until <paramref name="scratch"/> is next written.
    /// </summary>
    /// <remarks>Unescaping never makes a value longer than its escaped form, so the escaped length is always room enough.</remarks>
    /// <exception cref="InvalidOperationException">An escaped string that is not valid UTF-8 once unescaped.</exception>
    public static ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader, scoped ref byte[] scratch, int minimumRent = 0)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        int escapedLength = reader.ValueSpan.Length;
        if (scratch.Length < escapedLength)
        {
            if (scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent(Math.Max(escapedLength, minimumRent));
        }

        return scratch.AsSpan(0, reader.CopyString(scratch));
    }
}
