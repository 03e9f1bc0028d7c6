namespace Gateway.Fast.RateLimiting;

public sealed partial class LocalRateLimiter
{
    /// <summary>Where "now" falls among the clock-aligned windows of one interval.</summary>
    private readonly struct Window
    {
        public Window(long now, int intervalSeconds)
        {
            Now = now;
            Interval = (uint)intervalSeconds;
            ulong seconds = (ulong)now / TicksPerSecond;
            Index = seconds / Interval;
            Start = (uint)(Index * Interval);
            IntervalTicks = intervalSeconds * TicksPerSecond;
            ElapsedTicks = now - Start * TicksPerSecond;
        }

        /// <summary>Ticks since the unix epoch.</summary>
        public long Now { get; }

        public uint Interval { get; }

        /// <summary>⌊unix seconds / interval⌋; its low bit picks the slot.</summary>
        public ulong Index { get; }

        /// <summary>The unix second this window starts at.</summary>
        public uint Start { get; }

        public long IntervalTicks { get; }

        public long ElapsedTicks { get; }

        public long RemainingTicks => IntervalTicks - ElapsedTicks;
    }
}
