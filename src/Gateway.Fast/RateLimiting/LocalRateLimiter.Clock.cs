using System.Runtime.CompilerServices;

namespace Gateway.Fast.RateLimiting;

public sealed partial class LocalRateLimiter
{
    /// <summary>How often the coarse clock re-reads the wall clock, in milliseconds.</summary>
    private const long ResyncMilliseconds = 1_000;

    private readonly bool _coarse;
    private long _offsetTicks; // unix ticks − TickCount64 ms · TicksPerMillisecond, as of the last resync
    private long _resyncAtMilliseconds = long.MinValue;

    /// <summary>Ticks since the unix epoch.</summary>
    /// <remarks>
    /// On the system clock this is the wall clock read once a second plus <see cref="Environment.TickCount64"/> since:
    /// measured on the 2-core benchmark VM, <c>DateTimeOffset.UtcNow</c> costs ~80 ns a call and <c>TickCount64</c>
    /// ~25 ns (CLOCK_MONOTONIC_COARSE on Linux: 1–4 ms resolution, fine for whole-second windows). A resync may step
    /// "now" back by about one resolution step, which the window arithmetic treats conservatively. Any other
    /// <see cref="TimeProvider"/> (tests' FakeTimeProvider) is read on every call.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long NowTicks()
    {
        if (!_coarse)
        {
            return _time.GetUtcNow().UtcTicks - UnixEpochTicks;
        }

        long ms = Environment.TickCount64;
        return ms < Volatile.Read(ref _resyncAtMilliseconds)
            ? Volatile.Read(ref _offsetTicks) + ms * TimeSpan.TicksPerMillisecond
            : Resync(ms);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long Resync(long ms)
    {
        long now = _time.GetUtcNow().UtcTicks - UnixEpochTicks;
        Volatile.Write(ref _offsetTicks, now - ms * TimeSpan.TicksPerMillisecond);
        Volatile.Write(ref _resyncAtMilliseconds, ms + ResyncMilliseconds); // after the offset: readers see a fresh one
        return now;
    }
}
