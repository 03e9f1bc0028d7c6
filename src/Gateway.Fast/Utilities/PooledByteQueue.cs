using System.Buffers;

namespace Gateway.Fast.Utilities;

/// <summary>Bytes appended at the end and consumed from the front, held in one pooled array: what a push parser keeps of an unfinished message.</summary>
/// <remarks>
/// A struct, so a reader that owns one allocates nothing for it; keep it in a non-readonly field. <see cref="Append"/>
/// first slides the live bytes back to the start and only then rents a bigger array, so a stream of small events
/// reuses one array. <see cref="Buffered"/> is valid until the next <see cref="Append"/>. Dispose returns the array.
/// </remarks>
internal struct PooledByteQueue(int initialCapacity) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _start;
    private int _end;

    /// <summary>Bytes appended and not yet consumed.</summary>
    public readonly int Count => _end - _start;

    /// <summary>The bytes appended and not yet consumed.</summary>
    public readonly ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_end + chunk.Length > _buffer.Length)
        {
            int live = _end - _start;
            if (live + chunk.Length > _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, live + chunk.Length));
                _buffer.AsSpan(_start, live).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            else
            {
                _buffer.AsSpan(_start, live).CopyTo(_buffer);
            }

            _start = 0;
            _end = live;
        }

        chunk.CopyTo(_buffer.AsSpan(_end));
        _end += chunk.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> buffered bytes.</summary>
    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _start = _end = 0;
    }
}
