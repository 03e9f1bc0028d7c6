using FASTER.core;

namespace Gateway.Fast.Logging;

/// <summary>How many file handles a FASTER device of the log store may keep open per segment file.</summary>
/// <remarks>
/// <para>On Linux FASTER's device (<c>ManagedLocalStorageDevice</c>) keeps, for every segment file, a pool of read
/// handles and a pool of write handles, each up to the device's <c>ThrottleLimit</c> (120 by default), and opens a new
/// handle whenever a read finds every pooled one busy. A handle is closed only when its segment file is deleted or the
/// device disposed. Reads from disk come in bursts (a compaction's sixteen pending copies, a retention step, a list
/// over old blocks, their completions issuing the next read on another thread), so under a steady load a soak's
/// descriptors kept climbing (by ~300 in ten minutes) as segments took more handles, each one a <c>FileStream</c> on the
/// managed heap.</para>
/// <para>Eight is more than the store reads in parallel from one file (the writer, the compaction and a few readers);
/// a ninth concurrent read of the same segment waits for a handle instead of opening one. On this device the limit
/// sizes only the pools: it does not throttle I/O.</para>
/// </remarks>
internal static class LogDeviceHandles
{
    /// <summary>Read handles, and as many write handles, a segment file may have open.</summary>
    public const int PerSegment = 8;

    /// <summary>Caps <paramref name="device"/>'s pools (before it opens any file: a pool takes its size when the segment's
    /// first handle is opened).</summary>
    public static void Bound(IDevice device) => device.ThrottleLimit = PerSegment;
}
