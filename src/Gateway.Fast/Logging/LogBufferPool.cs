using System.Buffers;
using System.Collections.Concurrent;

namespace Gateway.Fast.Logging;

/// <summary>The arrays encoded rows travel in, from the request threads to the log writer and back.</summary>
/// <remarks>
/// <see cref="ArrayPool{T}.Shared"/> keeps 32 arrays of a size per core, but the writer holds rows in the queue for
/// up to a commit interval (100 ms: 1,000 rows at 10k requests/s) before it returns them, so most rents missed and
/// allocated: the benchmark measured 1.9 KB per logged request with bodies, more than before rows were pooled.
/// <para>
/// Sizes: powers of two from 1 KiB to 4 KiB (rows without bodies or with a plain answer's), then from 8 KiB to 64 KiB
/// a size between each two (12, 24, 48 KiB), since a stream's row lands there and a power of two alone left up to half
/// of it unused: when thousands of streams end together their rows wait in the log's queue at once, and a 17 KB row in
/// a 32 KiB array made that wait take nearly twice its bytes. Each size up to 4 KiB keeps up to 2 MiB (2,048 rows
/// without bodies), each larger one 1 MiB (rows there are fewer), 13 MiB at most in all; larger rows (big bodies) go
/// to the shared pool, and an array of any other length is left to the GC.
/// </para>
/// </remarks>
internal static class LogBufferPool
{
    private const int MinShift = 10;
    private const int MaxShift = 16;

    /// <summary>From this size on, a size between each two powers of two.</summary>
    private const int HalfStepsFromShift = 13;

    private const int SmallBytesPerSize = 2 << 20;
    private const int LargeBytesPerSize = 1 << 20;

    private static readonly int[] Sizes = CreateSizes();
    private static readonly Bucket[] Buckets = [.. Sizes.Select(size => new Bucket((size < 1 << HalfStepsFromShift ? SmallBytesPerSize : LargeBytesPerSize) / size))];

    public static byte[] Rent(int minimumLength)
    {
        if (minimumLength > 1 << MaxShift)
        {
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        }

        var index = SizeIndex(minimumLength);
        return Buckets[index].TryTake(out var array) ? array : new byte[Sizes[index]];
    }

    public static void Return(byte[] array)
    {
        var length = array.Length;
        if (length > 1 << MaxShift)
        {
            ArrayPool<byte>.Shared.Return(array);
            return;
        }

        var index = Array.BinarySearch(Sizes, length);
        if (index >= 0)
        {
            Buckets[index].Add(array);
        }
    }

    /// <summary>The index in <see cref="Sizes"/> of the smallest size that holds <paramref name="minimumLength"/> (at most 64 KiB).</summary>
    private static int SizeIndex(int minimumLength)
    {
        // The first index whose size is at least minimumLength: the sizes are few and sorted.
        var index = Array.BinarySearch(Sizes, minimumLength);
        return index >= 0 ? index : ~index;
    }

    private static int[] CreateSizes()
    {
        var sizes = new List<int>();
        for (var shift = MinShift; shift <= MaxShift; shift++)
        {
            if (shift > HalfStepsFromShift)
            {
                sizes.Add(3 << (shift - 2)); // halfway between 1 << (shift - 1) and 1 << shift
            }

            sizes.Add(1 << shift);
        }

        return [.. sizes];
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
