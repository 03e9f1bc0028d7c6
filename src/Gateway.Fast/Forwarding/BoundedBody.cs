using System.Buffers;

namespace Gateway.Fast.Forwarding;

/// <summary>A whole upstream body gathered in pooled memory, up to <see cref="MaxBytes"/>; a larger one is a broken upstream.</summary>
internal struct BoundedBody
{
    /// <summary>Largest body held whole (a chat answer is far smaller; the rest is refused as a broken upstream).</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    private byte[]? _array;
    private int _length;

    /// <param name="contentLength">The answer's <c>Content-Length</c>, if any: the first buffer fits it and the final zero-length read.</param>
    public BoundedBody(long? contentLength) =>
        _array = ArrayPool<byte>.Shared.Rent(contentLength is long known and > 0 and < MaxBytes ? (int)known + 1 : 16 * 1024);

    public readonly ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    /// <summary>The free end of the buffer, grown (doubled) when full.</summary>
    public Memory<byte> ReadBuffer()
    {
        var array = _array!;
        if (_length == array.Length)
        {
            if (array.Length >= MaxBytes)
            {
                throw new HttpRequestException("The provider's answer is larger than the gateway reads whole.");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(array.Length * 2);
            array.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(array);
            _array = array = bigger;
        }

        return array.AsMemory(_length);
    }

    /// <summary>The last read put <paramref name="count"/> bytes at the start of <see cref="ReadBuffer"/>.</summary>
    public void Advance(int count) => _length += count;

    public void Return()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
