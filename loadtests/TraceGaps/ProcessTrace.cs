using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TraceGaps;

/// <summary>A time interval of one process, in Unix milliseconds, with what it was.</summary>
internal readonly record struct Span(double StartMs, double EndMs, string What)
{
    public double Ms => EndMs - StartMs;

    public double Overlap(double start, double end) => Math.Max(0, Math.Min(end, EndMs) - Math.Max(start, StartMs));
}

/// <summary>What one process's trace holds that can stop a stream: execution-engine suspensions (GC pauses), thread-pool
/// starvation (threads injected because queued work waited), lock waits, and the process's own log lines.</summary>
internal sealed class ProcessTrace
{
    // Lock waits shorter than this are the ordinary cost of a lock, not a stall.
    private const double ContentionFloorMs = 5;

    public required string Label { get; init; }
    public List<Span> Pauses { get; } = [];
    public List<double> Starvation { get; } = [];
    public List<Span> Contention { get; } = [];
    public List<Span> LogLines { get; } = [];
    public Dictionary<string, int> GcCounts { get; } = [];

    public static ProcessTrace Read(string label, string path)
    {
        var trace = new ProcessTrace { Label = label };

        // Through TraceLog so events carry resolved stacks: a lock wait names the code that waited (managed method names
        // come from the rundown the runtime writes when the traced process exits).
        var etlx = TraceLog.CreateFromEventPipeDataFile(path, null, new TraceLogOptions { ContinueOnError = true });
        using var log = new TraceLog(etlx);
        var source = log.Events.GetSource();
        var waitingAt = new Dictionary<int, string>();
        source.Clr.ContentionStart += e => waitingAt[e.ThreadID] = Caller(e);
        double suspendedAt = double.NaN;
        double stoppedAt = double.NaN;
        string gc = "suspension without a GC";
        source.Clr.GCSuspendEEStart += e =>
        {
            suspendedAt = UnixMs(e);
            gc = $"suspension ({e.Reason})";
        };

        // Reaching the safe point (threads descheduled, or in a loop without a GC poll) is part of the pause, not the GC's work.
        source.Clr.GCSuspendEEStop += e => stoppedAt = UnixMs(e);
        source.Clr.GCStart += e =>
        {
            var name = $"gen{e.Depth} {e.Type} ({e.Reason})";
            gc = name;
            trace.GcCounts[name] = trace.GcCounts.GetValueOrDefault(name) + 1;
        };
        source.Clr.GCRestartEEStop += e =>
        {
            if (!double.IsNaN(suspendedAt))
            {
                trace.Pauses.Add(new Span(suspendedAt, UnixMs(e), $"{gc}, {stoppedAt - suspendedAt:F0} ms of it suspending"));
                suspendedAt = double.NaN;
            }
        };
        source.Clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e =>
        {
            if (e.Reason == ThreadAdjustmentReason.Starvation)
            {
                trace.Starvation.Add(UnixMs(e));
            }
        };
        source.Clr.ContentionStop += e =>
        {
            double ms = e.DurationNs / 1e6;
            if (ms >= ContentionFloorMs)
            {
                double end = UnixMs(e);
                trace.Contention.Add(new Span(end - ms, end, "lock wait in " + waitingAt.GetValueOrDefault(e.ThreadID, "?")));
            }
        };
        source.Dynamic.AddCallbackForProviderEvent("Microsoft-Extensions-Logging", "FormattedMessage", e =>
        {
            // The gateway's own lines (background work); the server's per-request lines say nothing about a stall.
            if (e.PayloadByName("LoggerName") is not string logger || !logger.StartsWith("Gateway.Fast", StringComparison.Ordinal))
            {
                return;
            }

            double at = UnixMs(e);
            trace.LogLines.Add(new Span(at, at, $"{e.PayloadByName("LoggerName")}: {e.PayloadByName("FormattedMessage")}"));
        });
        source.Process();
        return trace;
    }

    // The first frames outside the runtime's threading code: who took the lock.
    private static string Caller(TraceEvent e)
    {
        var frames = new List<string>();
        for (var frame = e.CallStack(); frame is not null && frames.Count < 3; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName;
            if (!string.IsNullOrEmpty(name) && !name.StartsWith("System.Threading.", StringComparison.Ordinal))
            {
                frames.Add(name);
            }
        }

        return frames.Count > 0 ? string.Join(" < ", frames) : "?";
    }

    private static double UnixMs(TraceEvent e) => (e.TimeStamp.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;
}
