using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Simulator;

/// <summary>Sends a <see cref="SimResponse"/>: in one write when nothing asks otherwise, event by event when controls pace or cut it.</summary>
internal static class ResponseWriter
{
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
        long start = 0;
        double ticksPerToken = (double)Stopwatch.Frequency / tokensPerSecond;

        for (int i = 0; i < endEvent; i++)
        {
            if (i > firstToken && i < lastToken)
            {
                // Due times from one start, so timer slack does not accumulate over a long stream.
                long due = start + (long)((i - firstToken) * ticksPerToken);
                long remaining = due - Stopwatch.GetTimestamp();
                if (remaining > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), aborted);
                }
            }
            else if (i == firstToken)
            {
                start = Stopwatch.GetTimestamp();
            }

            int from = response.EventStart(i);
            await http.BodyWriter.WriteAsync(response.Body.AsMemory(from, response.Ends[i] - from), aborted);
        }
    }
}
