using System.Buffers;
using K4os.Compression.LZ4;

namespace Gateway.Fast.Logging;

/// <summary>Keeps up to <see cref="MaxBytes"/> of a body for its log row, in pooled memory; counts the full size beyond that.</summary>
/// <remarks>
/// docs/gateway-api.md#logging: at most 10 MB per log. A body past the limit is kept truncated and flagged, never refused.
/// <para>
/// The bytes are kept in 4 KiB blocks (the last one grown to that from <see cref="FirstBlockSize"/>), not one buffer doubled as it fills: a stream's body arrives an event at a time and
/// is held until the stream ends, so a doubled buffer would hold up to twice the body for every open stream (an 11 KB
/// stream sat in 16 KiB). The blocks are never joined: the log row copies them, in order, straight into its own buffer
/// (<see cref="CopyTo"/>, or as they are held when some are compressed), so an ending stream adds only its row, not a joined copy of its body too (when thousands of
/// streams end together, a joined copy each, rented at the next power of two, was a third of the memory they took).
/// </para>
/// <para>
/// With <see cref="CompressFullBlocks"/> (event streams), each block that fills is compressed (LZ4, its fastest level)
/// into an array of its compressed size and the block goes back to the pool: a held stream waits for minutes with its
/// body so far in memory, and an SSE body repeats the same JSON around every token, so a full block of it shrinks to
/// about a tenth (0.4 KiB for the simulator's stream). LZ4 because it is the cheapest codec per byte (about 4 µs a
/// block compressed and decompressed, against the 20-30 µs the gateway spends relaying one event) and needs no state
/// between blocks: a streaming codec's window (deflate, Brotli) would hold more per stream than the body. A block that
/// does not shrink by a quarter is kept as it is. The log row stores such a body as these pieces, not decoded
/// (<see cref="LogResponseBlocks"/>): only a read of the row's body decodes it.
/// Plain answers are not compressed: they are held only while they arrive.
/// </para>
/// </remarks>
public sealed class BodyCapture
{
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The pool's smallest common size: a few SSE events, or a whole plain chat answer. A compressed block always
    /// decodes to this many bytes (the log row's response blocks rely on it).</summary>
    internal const int BlockSize = 4096;

    /// <summary>The first size the last block is rented at; it doubles as it fills, up to <see cref="BlockSize"/>.</summary>
    /// <remarks>A held stream waits with its last block partly filled: rented whole, that was 4 KiB per stream whatever it
    /// held (a tenth of what a held stream cost). Grown from 512 bytes by doubling it holds on average about 2.7 KiB for
    /// a fill spread evenly over the block, for at most 3.5 KiB more copied per 4 KiB of body (three pooled rents, no
    /// allocation).</remarks>
    internal const int FirstBlockSize = 512;

    /// <summary>A full block is kept compressed only when that saves at least a quarter of it.</summary>
    private const int MaxCompressedSize = BlockSize * 3 / 4;

    /// <summary>The body's pieces in order: pooled blocks (the last one being filled) and compressed full blocks.</summary>
    private readonly List<Segment> _segments = [];

    /// <summary>Bytes used in the last block.</summary>
    private int _lastUsed;

    /// <summary>How many of <see cref="_segments"/> are compressed.</summary>
    private int _compressed;

    /// <summary>Every byte seen, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes kept (at most <see cref="MaxBytes"/>).</summary>
    public int Length { get; private set; }

    public bool Truncated => TotalBytes > Length;

    /// <summary>Compress each 4 KiB block as it fills: set for a body that is held while it streams. Cleared by <see cref="Reset"/>.</summary>
    public bool CompressFullBlocks { get; set; }

    /// <summary>Bytes held for the body: its blocks' sizes, compressed or pooled (what an open stream costs for its log body).</summary>
    public int HeldBytes
    {
        get
        {
            int held = 0;
            foreach (var segment in _segments)
            {
                held += segment.Data.Length;
            }

            return held;
        }
    }

    /// <summary>True when some full blocks are held compressed: the log row then stores them as they are.</summary>
    internal bool HasCompressedBlocks => _compressed > 0;

    /// <summary>The pieces the body is held in, in order (<see cref="HeldSegment"/>).</summary>
    internal int SegmentCount => _segments.Count;

    /// <summary>Piece <paramref name="index"/> as held: a full block's LZ4 encoding (<paramref name="compressed"/>; it
    /// decodes to <see cref="BlockSize"/> bytes), or the bytes themselves, the last piece only as far as it is filled.</summary>
    internal ReadOnlySpan<byte> HeldSegment(int index, out bool compressed)
    {
        var segment = _segments[index];
        compressed = segment.Compressed;
        return compressed || index < _segments.Count - 1 ? segment.Data : segment.Data.AsSpan(0, _lastUsed);
    }

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
            if (_segments.Count > 0 && _lastUsed == _segments[^1].Data.Length && _lastUsed < BlockSize && !_segments[^1].Compressed)
            {
                GrowLastBlock(_lastUsed + chunk.Length);
            }
            else if (_segments.Count == 0 || _lastUsed == _segments[^1].Data.Length || _segments[^1].Compressed)
            {
                if (CompressFullBlocks && _segments.Count > 0)
                {
                    CompressLastBlock();
                }

                // A new block starts small (FirstBlockSize) and grows to BlockSize; a chunk larger than a block gets a
                // block of its own size: one piece, one copy.
                int size = chunk.Length > BlockSize ? chunk.Length : Math.Max(FirstBlockSize, chunk.Length);
                _segments.Add(Segment.Pooled(ArrayPool<byte>.Shared.Rent(size)));
                _lastUsed = 0;
            }

            var block = _segments[^1].Data;
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
        for (int i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            if (segment.Compressed)
            {
                if (LZ4Codec.Decode(segment.Data, destination.Slice(at, BlockSize)) != BlockSize)
                {
                    throw new InvalidOperationException("A compressed block of the log body did not decode to its size.");
                }

                at += BlockSize;
                continue;
            }

            int used = i == _segments.Count - 1 ? _lastUsed : segment.Data.Length;
            segment.Data.AsSpan(0, used).CopyTo(destination[at..]);
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
        foreach (var segment in _segments)
        {
            if (!segment.Compressed)
            {
                ArrayPool<byte>.Shared.Return(segment.Data);
            }
        }

        _segments.Clear();
        _lastUsed = 0;
        _compressed = 0;
        Length = 0;
        TotalBytes = 0;
        CompressFullBlocks = false;
    }

    /// <summary>The last block is full but smaller than <see cref="BlockSize"/>: moves its bytes to one twice its size (or
    /// large enough for <paramref name="needed"/>), at most <see cref="BlockSize"/>, and gives the old one back.</summary>
    private void GrowLastBlock(int needed)
    {
        var old = _segments[^1].Data;
        var block = ArrayPool<byte>.Shared.Rent(Math.Min(BlockSize, Math.Max(old.Length * 2, needed)));
        old.AsSpan(0, _lastUsed).CopyTo(block);
        ArrayPool<byte>.Shared.Return(old);
        _segments[^1] = Segment.Pooled(block);
    }

    /// <summary>
    /// The last segment is full: keep it compressed, in an array of that size, and give its block back to the pool, when
    /// it is a whole 4 KiB block (not a large chunk's own) and shrinks enough.
    /// </summary>
    private void CompressLastBlock()
    {
        var last = _segments[^1];
        if (last.Compressed || last.Data.Length != BlockSize)
        {
            return;
        }

        Span<byte> packed = stackalloc byte[MaxCompressedSize];
        int size = LZ4Codec.Encode(last.Data, packed, LZ4Level.L00_FAST);
        if (size <= 0)
        {
            return; // it did not fit in three quarters of the block: kept as it is
        }

        var data = GC.AllocateUninitializedArray<byte>(size);
        packed[..size].CopyTo(data);
        ArrayPool<byte>.Shared.Return(last.Data);
        _segments[^1] = Segment.Packed(data);
        _compressed++;
    }

    /// <summary>One piece of the body: a pooled block, or a full block's LZ4 encoding (always <see cref="BlockSize"/> bytes decoded).</summary>
    private readonly record struct Segment(byte[] Data, bool Compressed)
    {
        public static Segment Pooled(byte[] block) => new(block, false);

        public static Segment Packed(byte[] encoded) => new(encoded, true);
    }
}
