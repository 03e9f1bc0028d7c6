using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Fast.RateLimiting;

public sealed partial class LocalRateLimiter
{
    /// <summary>The two window slots of one key, padded so that no other key's counters share their cache line.</summary>
    /// <remarks>
    /// Objects are only 8-byte aligned, so 64 bytes of padding on each side keep the hot 20 bytes away from any
    /// neighbour's; without it, states created one after another (a key per thread) share lines and every CAS
    /// invalidates the neighbour's. 152 bytes per key, allocated once.
    /// </remarks>
    [StructLayout(LayoutKind.Explicit)]
    private sealed class WindowState
    {
        /// <summary>Both halves all ones: start 2106-02-07 and a count no limit reaches, so no live slot equals it.</summary>
        public const long Retired = -1;

        private const int CacheLine = 64;

        [FieldOffset(CacheLine)]
        public long Even;

        [FieldOffset(CacheLine + 8)]
        public long Odd;

        /// <summary>The interval of the last policy seen, in seconds; tells <see cref="Sweep"/> when the key is idle.</summary>
        [FieldOffset(CacheLine + 16)]
        public int IntervalSeconds;

#pragma warning disable CS0169 // padding only, never read
        [FieldOffset(2 * CacheLine)]
        private readonly long _padding;
#pragma warning restore CS0169

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ref long Slot(ulong windowIndex) => ref (windowIndex & 1) == 0 ? ref Even : ref Odd;

        public bool IsRetiring => Volatile.Read(ref Even) == Retired || Volatile.Read(ref Odd) == Retired;
    }
}
