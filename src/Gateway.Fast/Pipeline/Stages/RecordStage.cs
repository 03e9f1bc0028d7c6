using System.Diagnostics;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Logging;
using Gateway.Fast.Metrics;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>Stage 7, record: the request's metrics, and its log row handed to the log store's bounded queue.</summary>
internal sealed class RecordStage(ILogStore logs, Accounting.CostCalculator costs, GatewayMetrics metrics, TimeProvider time)
{
    private static readonly double TicksToSeconds = 1.0 / Stopwatch.Frequency;

    /// <summary>The request's counters and durations (every request, logged or not).</summary>
    public void RecordMetrics(RequestContext ctx)
    {
        int status = ctx.CallerStatus;
        double total = (Stopwatch.GetTimestamp() - ctx.StartTimestamp) * TicksToSeconds;
        metrics.Record(ctx.Gateway?.Id ?? GatewayMetrics.Unknown, ctx.Provider?.Id ?? GatewayMetrics.Unknown, status, total,
            ctx.UpstreamTicks * TicksToSeconds);
    }

    /// <summary>Builds the row and queues it; waits only when the queue is full (back-pressure: no row is ever dropped).</summary>
    /// <remarks>
    /// Runs after the request has ended (<see cref="RowDeferral"/>): the context must have been detached from its
    /// HttpContext (<see cref="RequestContext.Detach"/>), which took the status and the response headers the row keeps.
    /// </remarks>
    public ValueTask AppendAsync(RequestContext ctx)
    {
        if (!Accounting.TokenEstimator.IsLoaded && ctx.Usage.WouldEstimate)
        {
            return AppendWhenTokenizerLoadedAsync(ctx);
        }

        var row = RequestLogRow.ForAnswer(ctx, costs);
        metrics.RecordUsage(row.GatewayId, row.Provider.Length > 0 ? row.Provider : GatewayMetrics.Unknown, row.Model,
            row.TokensIn, row.TokensOut, row.Cost, row.TimeToFirstTokenMs / 1000.0);

        // The row is encoded here, bodies included, into one pooled array the store owns from now on: the bodies'
        // buffers are reused with this context. Request bodies carry no credentials (those travel in request headers,
        // which are never stored); the response headers were kept without any that could carry one.
        var encoded = ctx.Log.CaptureResponse
            ? LogRecordCodec.EncodeCapturedRow(in row, ctx.Log.RequestBody.Span, ctx.ResponseCapture, ctx.ResponseHeaders.Encoded)
            : LogRecordCodec.EncodeRow(in row, default, default, ctx.ResponseHeaders.Encoded);
        return logs.AppendAsync(encoded, CancellationToken.None);
    }

    // The first estimates wait for the tokenizer's tables without holding a thread (TokenEstimator's remarks say why).
    private async ValueTask AppendWhenTokenizerLoadedAsync(RequestContext ctx)
    {
        await Accounting.TokenEstimator.WhenLoaded.ConfigureAwait(false);
        await AppendAsync(ctx).ConfigureAwait(false);
    }

    /// <summary>
    /// A Universal step that failed and handed over to the next one gets its own row (one row per step tried: our choice,
    /// see docs/gateway-api.md#universal-endpoint), with its own id; the answering step's row carries the response's
    /// <c>cf-aig-log-id</c>.
    /// </summary>
    public ValueTask AppendFallenStepAsync(RequestContext ctx, in UpstreamAttempt attempt)
    {
        if (!ctx.Log.Collect)
        {
            return default;
        }

        var row = RequestLogRow.ForFallenStep(ctx, Ulid.NewUlid(time),
            attempt.Response is null ? ErrorWriter.StatusOf(attempt.Error) : attempt.StatusCode);
        return logs.AppendAsync(LogRecordCodec.EncodeRow(in row, default, default), CancellationToken.None);
    }
}
