using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace Gateway.Fast.Logging;

/// <summary>The arrays encoded rows travel in, from the request threads to the log writer and back.</summary>
/// <remarks>
/// <see cref="ArrayPool{T}.Shared"/> keeps 32 arrays of a size per core, but the writer holds rows in the queue for
/// up to a commit interval (100 ms: 1,000 rows at 10k requests/s) before it returns them, so most rents missed and
/// allocated: the benchmark measured 1.9 KB per logged request with bodies, more than before rows were pooled. This pool
/// keeps up to <see cref="BytesPerSize"/> (2 MiB: 2,048 rows without bodies) of each power-of-two size from 1 KiB to 64 KiB; larger rows (big bodies) go
/// to the shared pool.
/// </remarks>
internal static class LogBufferPool
{
    private const int MinShift = 10;
    private const int MaxShift = 16;
    private const int BytesPerSize = 2 << 20;

    private static readonly Bucket[] Buckets = CreateBuckets();

    public static byte[] Rent(int minimumLength)
    {
        var shift = Math.Max(MinShift, 32 - BitOperations.LeadingZeroCount((uint)Math.Max(minimumLength - 1, 1)));
        if (shift > MaxShift)
        {
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        }

        return Buckets[shift - MinShift].TryTake(out var array) ? array : new byte[1 << shift];
    }

    public static void Return(byte[] array)
    {
        var length = array.Length;
        if (!BitOperations.IsPow2(length) || length < 1 << MinShift || length > 1 << MaxShift)
        {
            if (length > 1 << MaxShift)
            {
                ArrayPool<byte>.Shared.Return(array);
            }

            return;
        }

        Buckets[BitOperations.Log2((uint)length) - MinShift].Add(array);
    }

    private static Bucket[] CreateBuckets()
    {
        var buckets = new Bucket[MaxShift - MinShift + 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new Bucket(BytesPerSize >> (MinShift + i));
        }

        return buckets;
    }

    private sealed class Bucket(int capacity)
    {
        private readonly ConcurrentQueue<byte[]> _arrays = new();
        private int _count;

        public bool TryTake(out byte[] array)
        {
            if (_arrays.TryDequeue(out array!))
            {
                Interlocked.Decrement(ref _count);
                return true;
            }

            return false;
        }

        public void Add(byte[] array)
        {
            if (Interlocked.Increment(ref _count) <= capacity)
            {
                _arrays.Enqueue(array);
                return;
            }

            Interlocked.Decrement(ref _count); // full: let the GC have it
        }
    }
}
