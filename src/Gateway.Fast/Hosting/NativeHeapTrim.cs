using System.Runtime.InteropServices;

namespace Gateway.Fast.Hosting;

/// <summary>Hands the C heap's free pages back to the OS (glibc's <c>malloc_trim</c>), after an idle trim's collection.</summary>
/// <remarks>
/// The runtime, the sockets and the thread pool allocate native memory with <c>malloc</c>; glibc keeps what a burst freed
/// in its per-thread arenas and returns only the top of the main heap by itself, so the burst's native memory stayed
/// resident. <c>malloc_trim(0)</c> releases every arena's free pages; it walks the arenas under their locks, which is why
/// it runs only beside the idle collection, never under load. Elsewhere (musl, macOS, Windows) it is a no-op.
/// </remarks>
internal static partial class NativeHeapTrim
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Trims once; false when nothing was released or the C library has no <c>malloc_trim</c>.</summary>
    public static bool TryTrim()
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // not glibc: nothing to trim this way
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
