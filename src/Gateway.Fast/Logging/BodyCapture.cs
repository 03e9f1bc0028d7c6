using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>Keeps up to <see cref="MaxBytes"/> of a body for its log row, in pooled memory; counts the full size beyond that.</summary>
/// <remarks>docs/gateway-api.md#logging: at most 10 MB per log. A body past the limit is kept truncated and flagged, never refused.</remarks>
public sealed class BodyCapture
{
    public const int MaxBytes = 10 * 1024 * 1024;

    private byte[] _buffer = [];
    private int _length;

    /// <summary>Every byte seen, kept or not.</summary>
    public long TotalBytes { get; private set; }

    public bool Truncated => TotalBytes > _length;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public void Append(ReadOnlySpan<byte> chunk)
    {
        TotalBytes += chunk.Length;
        int room = MaxBytes - _length;
        if (room <= 0)
        {
            return;
        }

        if (chunk.Length > room)
        {
            chunk = chunk[..room];
        }

        if (_length + chunk.Length > _buffer.Length)
        {
            Grow(_length + chunk.Length);
        }

        chunk.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
    }

    /// <summary>A copy of the kept bytes that outlives this capture (the log writer stores it after the request ends).</summary>
    public byte[] ToArray() => Memory.ToArray();

    public void Reset()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _length = 0;
        TotalBytes = 0;
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBytes, Math.Max(needed, Math.Max(4096, _buffer.Length * 2))));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
