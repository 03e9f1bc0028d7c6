using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>Keeps up to <see cref="MaxBytes"/> of a body for its log row, in pooled memory; counts the full size beyond that.</summary>
/// <remarks>
/// docs/gateway-api.md#logging: at most 10 MB per log. A body past the limit is kept truncated and flagged, never refused.
/// <para>
/// The bytes are kept in 4 KiB blocks, not one buffer doubled as it fills: a stream's body arrives an event at a time and
/// is held until the stream ends, so a doubled buffer would hold up to twice the body for every open stream (an 11 KB
/// stream sat in 16 KiB). The blocks are never joined: the log row copies them, in order, straight into its own buffer
/// (<see cref="CopyTo"/>), so an ending stream adds only its row, not a joined copy of its body too (when thousands of
/// streams end together, a joined copy each, rented at the next power of two, was a third of the memory they took).
/// </para>
/// </remarks>
public sealed class BodyCapture
{
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The pool's smallest common size: a few SSE events, or a whole plain chat answer.</summary>
    private const int BlockSize = 4096;

    private readonly List<byte[]> _blocks = [];

    /// <summary>Bytes used in the last block.</summary>
    private int _lastUsed;

    /// <summary>Every byte seen, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes kept (at most <see cref="MaxBytes"/>).</summary>
    public int Length { get; private set; }

    public bool Truncated => TotalBytes > Length;

    public void Append(ReadOnlySpan<byte> chunk)
    {
        TotalBytes += chunk.Length;
        int room = MaxBytes - Length;
        if (room <= 0 || chunk.IsEmpty)
        {
            return;
        }

        if (chunk.Length > room)
        {
            chunk = chunk[..room];
        }

        Length += chunk.Length;
        while (!chunk.IsEmpty)
        {
            if (_blocks.Count == 0 || _lastUsed == _blocks[^1].Length)
            {
                // A chunk larger than a block gets a block of its own size: one piece, one copy.
                _blocks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, chunk.Length)));
                _lastUsed = 0;
            }

            var block = _blocks[^1];
            int n = Math.Min(chunk.Length, block.Length - _lastUsed);
            chunk[..n].CopyTo(block.AsSpan(_lastUsed));
            _lastUsed += n;
            chunk = chunk[n..];
        }
    }

    /// <summary>Copies the kept bytes, in order, into <paramref name="destination"/> (at least <see cref="Length"/> bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length);
        int at = 0;
        for (int i = 0; i < _blocks.Count; i++)
        {
            int used = i == _blocks.Count - 1 ? _lastUsed : _blocks[i].Length;
            _blocks[i].AsSpan(0, used).CopyTo(destination[at..]);
            at += used;
        }
    }

    /// <summary>A copy of the kept bytes that outlives this capture.</summary>
    public byte[] ToArray()
    {
        var copy = new byte[Length];
        CopyTo(copy);
        return copy;
    }

    public void Reset()
    {
        foreach (var block in _blocks)
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _blocks.Clear();
        _lastUsed = 0;
        Length = 0;
        TotalBytes = 0;
    }
}
