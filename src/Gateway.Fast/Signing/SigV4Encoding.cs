using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Signing;

/// <summary>SigV4's URI encoding: every byte except the RFC 3986 unreserved set becomes <c>%XX</c> with upper-case hex.</summary>
internal static class SigV4Encoding
{
    private static ReadOnlySpan<byte> LowerHex => "0123456789abcdef"u8;
    private static ReadOnlySpan<byte> UpperHex => "0123456789ABCDEF"u8;

    private static readonly SearchValues<byte> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);

    public static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = LowerHex[bytes[i] >> 4];
            destination[(2 * i) + 1] = LowerHex[bytes[i] & 0xF];
        }
    }

    public static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = (char)LowerHex[bytes[i] >> 4];
            destination[(2 * i) + 1] = (char)LowerHex[bytes[i] & 0xF];
        }
    }

    /// <summary>Percent-encodes UTF-8 bytes: unreserved bytes stay, everything else (a <c>%</c> included) becomes <c>%XX</c>.</summary>
    public static void AppendEncoded(ref ByteBuilder b, scoped ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            int clean = utf8.IndexOfAnyExcept(Unreserved);
            if (clean < 0)
            {
                b.Append(utf8);
                return;
            }

            b.Append(utf8[..clean]);
            byte c = utf8[clean];
            b.Append((byte)'%');
            b.Append(UpperHex[c >> 4]);
            b.Append(UpperHex[c & 0xF]);
            utf8 = utf8[(clean + 1)..];
        }
    }

    /// <summary>Percent-encodes text (taken as UTF-8) as it is: a <c>%</c> already in it is encoded again.</summary>
    public static void AppendEncoded(ref ByteBuilder b, scoped ReadOnlySpan<char> text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        int n = Encoding.UTF8.GetBytes(text, utf8);
        AppendEncoded(ref b, utf8[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes <c>%XX</c> escapes of a query key or value into UTF-8 bytes, then encodes them SigV4's way.</summary>
    /// <remarks><c>+</c> is kept as a literal plus (and so encoded as <c>%2B</c>), as AWS's own SDKs sign it.</remarks>
    public static void AppendReencoded(ref ByteBuilder b, scoped ReadOnlySpan<char> text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = 0;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '%' && i + 2 < text.Length && TryHex(text[i + 1], out int hi) && TryHex(text[i + 2], out int lo))
                {
                    utf8[n++] = (byte)((hi << 4) | lo);
                    i += 3;
                    continue;
                }

                int run = text[i..].IndexOf('%');
                if (run == 0)
                {
                    run = 1; // a lone '%' that starts no escape is kept as a character
                }

                var plain = run < 0 ? text[i..] : text.Slice(i, run);
                n += Encoding.UTF8.GetBytes(plain, utf8[n..]);
                i += plain.Length;
            }

            AppendEncoded(ref b, utf8[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
