using System.Buffers;

namespace Gateway.Fast.Logging;

/// <summary>Keeps up to <see cref="MaxBytes"/> of a body for its log row, in pooled memory; counts the full size beyond that.</summary>
/// <remarks>
/// docs/gateway-api.md#logging: at most 10 MB per log. A body past the limit is kept truncated and flagged, never refused.
/// <para>
/// The bytes are kept in 4 KiB blocks, not one buffer doubled as it fills: a stream's body arrives an event at a time and
/// is held until the stream ends, so a doubled buffer would hold up to twice the body for every open stream (an 11 KB
/// stream sat in 16 KiB). The blocks are joined once, when the log row reads <see cref="Memory"/>; a body that fits one
/// block (most plain answers) or arrives in one piece (a cache HIT) is never copied twice.
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

    private int _length;

    /// <summary>The blocks as one buffer, made when <see cref="Memory"/> is read with more than one block.</summary>
    private byte[]? _joined;

    /// <summary>Every byte seen, kept or not.</summary>
    public long TotalBytes { get; private set; }

    public bool Truncated => TotalBytes > _length;

    /// <summary>The kept bytes as one block of memory (joining the blocks, once, if there are several); valid until <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            if (_blocks.Count <= 1)
            {
                return _blocks.Count == 0 ? ReadOnlyMemory<byte>.Empty : _blocks[0].AsMemory(0, _length);
            }

            if (_joined is null)
            {
                var joined = ArrayPool<byte>.Shared.Rent(_length);
                int at = 0;
                for (int i = 0; i < _blocks.Count; i++)
                {
                    int used = i == _blocks.Count - 1 ? _lastUsed : _blocks[i].Length;
                    _blocks[i].AsSpan(0, used).CopyTo(joined.AsSpan(at));
                    at += used;
                }

                _joined = joined;
            }

            return _joined.AsMemory(0, _length);
        }
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        TotalBytes += chunk.Length;
        int room = MaxBytes - _length;
        if (room <= 0 || chunk.IsEmpty)
        {
            return;
        }

        if (chunk.Length > room)
        {
            chunk = chunk[..room];
        }

        ReturnJoined(); // appended after a read: joined again on the next one
        _length += chunk.Length;
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

    /// <summary>A copy of the kept bytes that outlives this capture (the log writer stores it after the request ends).</summary>
    public byte[] ToArray() => Memory.ToArray();

    public void Reset()
    {
        ReturnJoined();
        foreach (var block in _blocks)
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _blocks.Clear();
        _lastUsed = 0;
        _length = 0;
        TotalBytes = 0;
    }

    private void ReturnJoined()
    {
        if (_joined is { } joined)
        {
            _joined = null;
            ArrayPool<byte>.Shared.Return(joined);
        }
    }
}
