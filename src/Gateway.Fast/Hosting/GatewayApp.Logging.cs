using System.Diagnostics;
using Gateway.Fast.Caching;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Logging;
using Gateway.Fast.Metrics;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Routing;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Hosting;

/// <summary>The record stage (design §2 stage 11): what the request's log row says, handed to the log store's queue.</summary>
internal sealed partial class GatewayApp
{
    /// <summary>
    /// Reads the request's log controls once its gateway is known: <c>cf-aig-collect-log</c> over the gateway's
    /// <c>collect_logs</c>, <c>cf-aig-collect-log-payload</c>, <c>cf-aig-metadata</c> (refused when malformed), and the
    /// session id (<c>X-SESSION-ID</c> or the <c>session_id</c> cookie; an invalid one is dropped, never refused).
    /// </summary>
    private static GatewayError DecideLogging(RequestContext ctx)
    {
        var headers = ctx.Http.Request.Headers;
        ctx.CollectLog = ControlHeaders.TryGetBoolean(headers, "cf-aig-collect-log", out bool collect) ? collect : ctx.Gateway!.CollectLogs;
        ctx.CollectPayload = !ControlHeaders.TryGetBoolean(headers, "cf-aig-collect-log-payload", out bool payload) || payload;
        ctx.CaptureResponse = ctx.CollectLog && ctx.CollectPayload;
        if (!MetadataHeader.TryParse(headers[MetadataHeader.Name], out var metadata, out var error))
        {
            ctx.ErrorDetail = error;
            return GatewayError.InvalidMetadata;
        }

        ctx.MetadataJson = metadata;
        ctx.SessionId = ctx.CollectLog ? SessionIdHeader.Read(headers) : null; // only a row reads it
        return GatewayError.None;
    }

    /// <summary>Builds the row and queues it; waits only when the queue is full (back-pressure: no row is ever dropped).</summary>
    private ValueTask AppendLogAsync(RequestContext ctx)
    {
        var row = RequestLogRow.ForAnswer(ctx, _costs);
        _metrics.RecordUsage(row.GatewayId, row.Provider.Length > 0 ? row.Provider : GatewayMetrics.Unknown, row.Model,
            row.TokensIn, row.TokensOut, row.Cost, row.TimeToFirstTokenMs / 1000.0);

        // The row is encoded here, bodies included, into one pooled array the store owns from now on: the bodies'
        // buffers are reused with this context. Request bodies carry no credentials (those travel in headers, which
        // are never stored).
        var encoded = ctx.CaptureResponse
            ? LogRecordCodec.EncodeRow(in row, ctx.LogRequestBody.Span, ctx.ResponseCapture.Memory.Span)
            : LogRecordCodec.EncodeRow(in row, default, default);
        return _logs.AppendAsync(encoded, CancellationToken.None);
    }

    /// <summary>
    /// A Universal step that failed and handed over to the next one gets its own row ([ours] spec §1.3: one row per
    /// step tried), with its own id; the answering step's row carries the response's <c>cf-aig-log-id</c>.
    /// </summary>
    private ValueTask AppendFallenStepLogAsync(RequestContext ctx, in UpstreamAttempt attempt)
    {
        if (!ctx.CollectLog)
        {
            return default;
        }

        var row = RequestLogRow.ForFallenStep(ctx, Ulid.NewUlid(_time),
            attempt.Response is null ? ErrorWriter.StatusOf(attempt.Error) : attempt.StatusCode);
        return _logs.AppendAsync(LogRecordCodec.EncodeRow(in row, default, default), CancellationToken.None);
    }
}
