using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Simulator;

/// <summary>Sends a <see cref="SimResponse"/>: in one write when nothing asks otherwise, event by event when controls pace or cut it.</summary>
internal static class ResponseWriter
{
    private const int ResetGraceMs = 20;

    public static async Task WriteAsync(HttpContext context, SimResponse response, SimulatorControls controls)
    {
        CancellationToken aborted = context.RequestAborted;
        if (controls.DelayMs > 0)
        {
            await Task.Delay(controls.DelayMs, aborted);
        }

        if (!response.IsStream && controls.ResetAfter >= 0 && response.Status < 400)
        {
            // A non-streamed reset: the client sees the connection drop before any header (a retryable failure).
            context.Abort();
            return;
        }

        HttpResponse http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = response.ContentType;
        if (response.Status == StatusCodes.Status429TooManyRequests)
        {
            http.Headers.RetryAfter = "1";
        }

        if (response.ExtraHeader is { } extra)
        {
            http.Headers[extra.Key] = extra.Value;
        }

        if (!response.IsStream)
        {
            http.ContentLength = response.Body.Length;
            await http.BodyWriter.WriteAsync(response.Body, aborted);
            return;
        }

        if (!controls.NeedsEventWrites)
        {
            // The common case: the whole precomputed stream in one write and one flush.
            await http.BodyWriter.WriteAsync(response.Body, aborted);
            return;
        }

        await WriteEventsAsync(context, response, controls, aborted);
    }

    private static async Task WriteEventsAsync(HttpContext context, SimResponse response, SimulatorControls controls,
        CancellationToken aborted)
    {
        HttpResponse http = context.Response;
        await http.StartAsync(aborted);
        await http.BodyWriter.FlushAsync(aborted);
        if (controls.TtftMs > 0)
        {
            await Task.Delay(controls.TtftMs, aborted);
        }

        int cutAfter = controls.ResetAfter >= 0 ? controls.ResetAfter : controls.StallAfter;
        int firstToken = response.PreludeEvents;
        int endEvent = cutAfter >= 0 ? firstToken + Math.Min(cutAfter, response.TokenEvents) : response.EventCount;

        if (controls.TokensPerSecond <= 0)
        {
            // Unpaced but cut: everything up to the cut point in one write.
            await http.BodyWriter.WriteAsync(response.Body.AsMemory(0, endEvent == 0 ? 0 : response.Ends[endEvent - 1]), aborted);
        }
        else
        {
            await WritePacedAsync(http, response, endEvent, controls.TokensPerSecond, aborted);
        }

        if (controls.ResetAfter >= 0)
        {
            // NOTE: Abort drops whatever Kestrel's socket sender has not yet taken from the output pipe, and a flush only
            // hands bytes to that pipe. Without this grace the client often sees a reset before the headers. Kestrel then
            // shuts the socket down gracefully, so the client reads the events and hits a premature end of the body.
            await Task.Delay(ResetGraceMs, aborted);
            context.Abort();
        }
        else if (controls.StallAfter >= 0)
        {
            // Hold the connection until the client (or a gateway timeout) gives up.
            await Task.Delay(Timeout.Infinite, aborted);
        }
    }

    private static async Task WritePacedAsync(HttpResponse http, SimResponse response, int endEvent, int tokensPerSecond,
        CancellationToken aborted)
    {
        int firstToken = response.PreludeEvents;
        int lastToken = firstToken + response.TokenEvents;
        long ticksPerToken = Stopwatch.Frequency / Math.Max(1, tokensPerSecond);
        long previous = 0;

        for (int i = 0; i < endEvent; i++)
        {
            if (i > firstToken && i < lastToken)
            {
                // Each token at least one interval after the previous one. A schedule fixed from the start would, after a
                // slow first write (JIT, GC), send the overdue tokens back to back, and the client would see a burst.
                long remaining = previous + ticksPerToken - Stopwatch.GetTimestamp();
                if (remaining > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), aborted);
                }
            }

            int from = response.EventStart(i);
            await http.BodyWriter.WriteAsync(response.Body.AsMemory(from, response.Ends[i] - from), aborted);
            previous = Stopwatch.GetTimestamp();
        }
    }
}
