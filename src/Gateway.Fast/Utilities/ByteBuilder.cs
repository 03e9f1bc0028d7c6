using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Fast.Utilities;

/// <summary>Appends bytes into a pooled array, so text such as SigV4's canonical request is built without a string.</summary>
/// <remarks>The byte twin of <see cref="UrlWriter"/>; a ref struct, used and disposed within one method.</remarks>
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

    /// <summary>Appends <paramref name="length"/> bytes and returns them for the caller to fill (an encoder writing in place).</summary>
    public Span<byte> AppendSpan(int length)
    {
        if (_pos + length > _array.Length)
        {
            Grow(length);
        }

        var span = _array.AsSpan(_pos, length);
        _pos += length;
        return span;
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
