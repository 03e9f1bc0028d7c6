using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Gateway.Fast.Hosting;

/// <summary>
/// Kestrel's pool of 4 KiB blocks for socket reads and writes, the gateway's own so the idle trim can empty it: the
/// same shape as Kestrel's (pinned arrays handed out from a lock-free queue, each given back when its owner is disposed),
/// without the eviction that let Kestrel's give back only a hundredth of its idle blocks every 10 s.
/// </summary>
/// <remarks>
/// Blocks are pinned arrays on the pinned object heap, wrapped as pre-pinned memory, so a socket operation pins them
/// without a GC handle. A block returned after <see cref="Trim"/> goes back into the queue; one returned after the pool
/// is disposed is dropped for the GC.
/// </remarks>
internal sealed class BlockMemoryPool(Action<BlockMemoryPool>? disposed = null) : MemoryPool<byte>
{
    /// <summary>The block size Kestrel's own pool hands out: its pipes' minimum segment.</summary>
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _blocks = new();
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks waiting in the pool now.</summary>
    public int Idle => _blocks.Count;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            ThrowTooLarge(minBufferSize);
        }

        return _blocks.TryDequeue(out var block) ? block : new Block(this);
    }

    /// <summary>Lets go of every idle block (for the GC's next full collection); blocks in use come back as usual.</summary>
    /// <returns>How many blocks were let go.</returns>
    public int Trim()
    {
        int dropped = 0;
        while (_blocks.TryDequeue(out _))
        {
            dropped++;
        }

        return dropped;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        Trim();
        disposed?.Invoke(this);
    }

    private void Return(Block block)
    {
        if (!_disposed)
        {
            _blocks.Enqueue(block);
        }
    }

    private static void ThrowTooLarge(int size) =>
        throw new ArgumentOutOfRangeException(nameof(size), size, $"The pool's blocks are {BlockSize} bytes.");

    private sealed class Block(BlockMemoryPool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Dispose() => pool.Return(this);
    }
}
