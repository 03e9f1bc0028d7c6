using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Fast.Signing;

/// <summary>Appends bytes into a pooled array: the canonical request and string to sign are built here without a string.</summary>
internal ref struct ByteBuilder
{
    private byte[] _array;
    private int _pos;

    public ByteBuilder(int capacity)
    {
        _array = ArrayPool<byte>.Shared.Rent(capacity);
        _pos = 0;
    }

    public readonly int Length => _pos;

    public readonly ReadOnlySpan<byte> Written => _array.AsSpan(0, _pos);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(byte b)
    {
        if (_pos == _array.Length)
        {
            Grow(1);
        }

        _array[_pos++] = b;
    }

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (_pos + bytes.Length > _array.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_array.AsSpan(_pos));
        _pos += bytes.Length;
    }

    /// <summary>Appends text as UTF-8 (ASCII is the usual case, one byte a char).</summary>
    public void AppendUtf8(scoped ReadOnlySpan<char> text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_pos + max > _array.Length)
        {
            Grow(max);
        }

        _pos += Encoding.UTF8.GetBytes(text, _array.AsSpan(_pos));
    }

    /// <summary>Appends <paramref name="bytes"/> as lower-case hex, the form SigV4 uses for hashes and signatures.</summary>
    public void AppendHex(scoped ReadOnlySpan<byte> bytes)
    {
        if (_pos + (bytes.Length * 2) > _array.Length)
        {
            Grow(bytes.Length * 2);
        }

        SigV4Encoding.WriteLowerHex(bytes, _array.AsSpan(_pos));
        _pos += bytes.Length * 2;
    }

    /// <summary>Drops everything past <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => _pos = length;

    public readonly override string ToString() => Encoding.UTF8.GetString(_array, 0, _pos);

    public void Dispose()
    {
        if (_array is not null)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = null!;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _pos + needed));
        _array.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
