using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Fast.Hosting;

/// <summary>
/// Makes Kestrel's memory pools (its socket transport reads <see cref="IMemoryPoolFactory{T}"/> from the container) as
/// <see cref="BlockMemoryPool"/>s, and empties them all on <see cref="Trim"/> (<see cref="MemoryTrimService"/>).
/// </summary>
internal sealed class BlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly ConcurrentDictionary<BlockMemoryPool, byte> _pools = new();

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new BlockMemoryPool(pool => _pools.TryRemove(pool, out _));
        _pools.TryAdd(pool, 0);
        return pool;
    }

    /// <summary>Pools made and not yet disposed (Kestrel makes one per listening endpoint).</summary>
    public int Pools => _pools.Count;

    /// <summary>Idle blocks in every pool now.</summary>
    public long IdleBytes => _pools.Keys.Sum(static p => (long)p.Idle) * BlockMemoryPool.BlockSize;

    /// <summary>Lets go of every pool's idle blocks; returns the bytes let go (freed by the next full collection).</summary>
    public long Trim() => _pools.Keys.Sum(static p => (long)p.Trim()) * BlockMemoryPool.BlockSize;
}
