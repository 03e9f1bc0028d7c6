using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Fast.Utilities;

/// <summary>Builds a URL into a pooled char buffer; the only allocation is the final string.</summary>
internal ref struct UrlWriter
{
    private char[] _array;
    private int _pos;

    public UrlWriter(int capacity)
    {
        _array = ArrayPool<char>.Shared.Rent(capacity);
        _pos = 0;
    }

    public readonly int Length => _pos;

    public void Append(ReadOnlySpan<char> value)
    {
        if (_pos + value.Length > _array.Length)
        {
            Grow(value.Length);
        }

        value.CopyTo(_array.AsSpan(_pos));
        _pos += value.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(char c)
    {
        if (_pos == _array.Length)
        {
            Grow(1);
        }

        _array[_pos++] = c;
    }

    /// <summary>Appends a decoded path, escaping what would otherwise end or change it ('?', '#', space, controls, non-ASCII).</summary>
    /// <remarks>'%' is kept: Kestrel leaves "%2F" encoded in the decoded path, and it must reach the upstream as it came.</remarks>
    public void AppendPath(ReadOnlySpan<char> path)
    {
        int clean = path.IndexOfAnyExcept(SafePathChars);
        if (clean < 0)
        {
            Append(path);
            return;
        }

        Append(path[..clean]);
        AppendEscapedSlow(path[clean..]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AppendEscapedSlow(ReadOnlySpan<char> path)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (SafePathChars.Contains(c))
            {
                Append(c);
                continue;
            }

            int n;
            if (char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
            {
                n = Encoding.UTF8.GetBytes(path.Slice(i, 2), utf8);
                i++;
            }
            else
            {
                n = Encoding.UTF8.GetBytes(new ReadOnlySpan<char>(in c), utf8);
            }

            for (int b = 0; b < n; b++)
            {
                Append('%');
                Append(HexUpper[utf8[b] >> 4]);
                Append(HexUpper[utf8[b] & 0xF]);
            }
        }
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_array.Length * 2, _pos + needed));
        _array.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_array);
        _array = bigger;
    }

    public string ToStringAndDispose()
    {
        var s = new string(_array, 0, _pos);
        Dispose();
        return s;
    }

    public void Dispose()
    {
        if (_array is not null)
        {
            ArrayPool<char>.Shared.Return(_array);
            _array = null!;
        }
    }

    private const string HexUpper = "0123456789ABCDEF";

    // RFC 3986 pchar plus '/' and '%' (see AppendPath).
    private static readonly SearchValues<char> SafePathChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%");
}
