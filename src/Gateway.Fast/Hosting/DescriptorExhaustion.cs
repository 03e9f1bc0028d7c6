using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Hosting;

/// <summary>Says once per process, loudly, that the gateway ran out of (or nearly out of) file descriptors, and what to raise.</summary>
/// <remarks>Without it, an exhausted descriptor table showed only as 502s ("Failed to get response from provider") and
/// connections the kernel never handed over. The flag is process-wide because the limit is.</remarks>
internal static partial class DescriptorExhaustion
{
    // Near the limit, warn while there is still room to act: at 90 % a ramp is seconds away from EMFILE.
    private const double WarnFraction = 0.9;

    private static int _exhaustedLogged;
    private static int _nearLogged;

    /// <summary>An operation failed with EMFILE/ENFILE (<paramref name="where"/>: "upstream connect"…): logs it the first time.</summary>
    public static void Report(ILogger logger, string where)
    {
        if (Interlocked.Exchange(ref _exhaustedLogged, 1) == 0)
        {
            Log.Exhausted(logger, where, ProcessResources.OpenDescriptors() ?? -1, ProcessResources.DescriptorLimit() ?? -1);
        }
    }

    /// <summary>Logs once when the descriptors in use pass 90 % of the limit (the accept side cannot be observed otherwise).</summary>
    public static void Check(ILogger logger)
    {
        if (Volatile.Read(ref _nearLogged) != 0 || ProcessResources.DescriptorLimit() is not { } limit
            || ProcessResources.OpenDescriptors() is not { } open || open < limit * WarnFraction)
        {
            return;
        }

        if (Interlocked.Exchange(ref _nearLogged, 1) == 0)
        {
            Log.Near(logger, open, limit);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Error,
            Message = "Out of file descriptors at {Where} ({Open} open, limit {Limit}): new connections fail until some close. "
                + "Each held stream uses two; raise the limit (ulimit -n, systemd LimitNOFILE, docker --ulimit nofile). Logged once.")]
        public static partial void Exhausted(ILogger logger, string where, int open, long limit);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
            Message = "{Open} file descriptors open of a limit of {Limit}: connections will fail at the limit. "
                + "Each held stream uses two; raise the limit (ulimit -n, systemd LimitNOFILE, docker --ulimit nofile). Logged once.")]
        public static partial void Near(ILogger logger, int open, long limit);
    }
}
