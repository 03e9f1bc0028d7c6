using System.Diagnostics;
using Gateway.Fast.Errors;
using Gateway.Fast.Forwarding;
using Gateway.Fast.Logging;
using Gateway.Fast.Metrics;
using Gateway.Fast.Routing;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Pipeline.Stages;

/// <summary>Stage 7, record: the request's metrics, and its log row handed to the log store's bounded queue.</summary>
internal sealed class RecordStage(ILogStore logs, Accounting.CostCalculator costs, GatewayMetrics metrics, TimeProvider time)
{
    private static readonly double TicksToSeconds = 1.0 / Stopwatch.Frequency;

    private readonly ILogStore _logs = logs;
    private readonly Accounting.CostCalculator _costs = costs;
    private readonly GatewayMetrics _metrics = metrics;
    private readonly TimeProvider _time = time;

    /// <summary>The request's counters and durations (every request, logged or not).</summary>
    public void RecordMetrics(RequestContext ctx)
    {
        int status = ctx.Error == GatewayError.ClientClosed ? 499 : ctx.Http.Response.StatusCode;
        double total = (Stopwatch.GetTimestamp() - ctx.StartTimestamp) * TicksToSeconds;
        _metrics.Record(ctx.Gateway?.Id ?? GatewayMetrics.Unknown, ctx.Provider?.Id ?? GatewayMetrics.Unknown, status, total,
            ctx.UpstreamTicks * TicksToSeconds);
    }

    /// <summary>Builds the row and queues it; waits only when the queue is full (back-pressure: no row is ever dropped).</summary>
    public ValueTask AppendAsync(RequestContext ctx)
    {
        var http = ctx.Http;
        var request = http.Request;
        long now = Stopwatch.GetTimestamp();
        int status = ctx.Error == GatewayError.ClientClosed ? 499 : http.Response.StatusCode;
        string path = ctx.ProviderPath;
        string model = ModelOf(ctx);
        var usage = ctx.Error != GatewayError.None || status is < 200 or >= 300 ? default
            : ctx.Usage.CompleteOrEstimate(ctx.LogRequestBody.Span); // the tokenizer runs only when the provider reported nothing
        if (usage.Estimated && ctx.Provider?.Descriptor.Auth == Providers.ProviderAuth.SigV4
            && Accounting.BedrockHeaderUsage.TryRead(http.Response.Headers, out var counted))
        {
            usage = counted; // InvokeModel bodies of most models name no usage; AWS (the one SigV4 provider) counts in its headers
        }
        bool customCost = Accounting.CustomCost.TryParse(request.Headers["cf-aig-custom-cost"], out var custom);
        double? cost = usage.Found || usage.Estimated
            ? _costs.Compute(ctx.Provider?.Id ?? "", string.IsNullOrEmpty(model) ? usage.Model : model, usage, customCost ? custom : null)
            : customCost && custom.TotalCost is double total ? total : null;
        var row = new LogRowFields
        {
            Id = ctx.LogId,
            GatewayId = ctx.Gateway!.Id,
            CreatedAtUnixMs = ctx.CreatedAtUnixMs,
            Provider = ctx.Provider?.Id ?? "",
            Model = string.IsNullOrEmpty(model) ? usage.Model ?? "" : model,
            ModelType = ModelTypeOf(path),
            Path = path,
            RequestType = RequestTypeOf(ctx.Route.Kind),
            Success = ctx.Error == GatewayError.None && status is >= 200 and < 300,
            Cached = ctx.CacheHit,
            StatusCode = status,
            Duration = (int)Stopwatch.GetElapsedTime(ctx.StartTimestamp, now).TotalMilliseconds,
            TimeToFirstTokenMs = ctx.FirstByteTimestamp == 0 ? null
                : (int)Stopwatch.GetElapsedTime(ctx.StartTimestamp, ctx.FirstByteTimestamp).TotalMilliseconds,
            TokensIn = usage.Found || usage.Estimated ? usage.InputTokens : null,
            TokensOut = usage.Found || usage.Estimated ? usage.OutputTokens : null,
            TokensEstimated = usage.Estimated,
            Cost = cost,
            CustomCost = customCost,
            Metadata = ctx.MetadataJson,
            Step = ctx.Step,
            EventId = request.Headers[ControlHeaders.EventId] is { Count: 1 } eventId ? eventId[0] : null,
            RequestContentType = request.ContentType,
            ResponseContentType = http.Response.ContentType,
            RequestSize = ctx.BodyBuffered ? ctx.Body.Length : request.ContentLength ?? 0,
            ResponseSize = ctx.ResponseBytes,
            BodiesKept = ctx.CaptureResponse,
            Authentication = ctx.Gateway.Authentication,
            UserAgent = request.Headers.UserAgent is { Count: 1 } agent ? agent[0] : null,
            DlpAction = ctx.Guard?.DlpAction,
            TeamId = ctx.TeamKey?.TeamId,
            TeamName = ctx.TeamKey?.Name,
            SessionId = ctx.SessionId,
            GuardrailFlags = ctx.Guard?.Flags,
        };

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
    public ValueTask AppendFallenStepAsync(RequestContext ctx, in UpstreamAttempt attempt)
    {
        if (!ctx.CollectLog)
        {
            return default;
        }

        var request = ctx.Http.Request;
        string path = ctx.ProviderPath;
        var row = new LogRowFields
        {
            Id = Ulid.NewUlid(_time),
            GatewayId = ctx.Gateway!.Id,
            CreatedAtUnixMs = ctx.CreatedAtUnixMs,
            Provider = ctx.Provider?.Id ?? "",
            Model = ModelOf(ctx),
            ModelType = ModelTypeOf(path),
            Path = path,
            RequestType = "universal",
            Success = false,
            StatusCode = attempt.Response is null ? ErrorWriter.StatusOf(attempt.Error) : attempt.StatusCode,
            Duration = (int)Stopwatch.GetElapsedTime(ctx.StartTimestamp).TotalMilliseconds,
            Metadata = ctx.MetadataJson,
            Step = ctx.Step,
            EventId = request.Headers[ControlHeaders.EventId] is { Count: 1 } eventId ? eventId[0] : null,
            RequestContentType = "application/json",
            RequestSize = ctx.LogRequestBody.Length,
            Authentication = ctx.Gateway.Authentication,
            UserAgent = request.Headers.UserAgent is { Count: 1 } agent ? agent[0] : null,
            DlpAction = ctx.Guard?.DlpAction,
            TeamId = ctx.TeamKey?.TeamId,
            TeamName = ctx.TeamKey?.Name,
            SessionId = ctx.SessionId,
            GuardrailFlags = ctx.Guard?.Flags,
        };
        return _logs.AppendAsync(LogRecordCodec.EncodeRow(in row, default, default), CancellationToken.None);
    }

    /// <summary><c>request_type</c> ([ours] spec §6.4): the unified API and the default routes are <c>compat</c>.</summary>
    private static string RequestTypeOf(RouteKind kind) => kind switch
    {
        RouteKind.Universal => "universal",
        RouteKind.Compat or RouteKind.DefaultRoute or RouteKind.TeamBasePath => "compat",
        _ => "provider",
    };

    private static string ModelOf(RequestContext ctx)
    {
        if (ctx.CompatModel is { } compat)
        {
            return compat; // the native id, which prices and analytics know, not the caller's "{provider}/…"
        }

        var model = ctx.Model;
        var body = ctx.LogRequestBody.Span;
        int start = model.Start.Value, end = model.End.Value;
        return end > start && end <= body.Length ? LogModelNames.Get(body[start..end]) : "";
    }

    /// <summary><c>model_type</c> from the provider path ([ours] spec §6.4).</summary>
    private static string ModelTypeOf(string path) =>
        path.Contains("embed", StringComparison.OrdinalIgnoreCase) ? "embedding"
        : path.Contains("images", StringComparison.OrdinalIgnoreCase) ? "image"
        : path.Contains("audio", StringComparison.OrdinalIgnoreCase) || path.Contains("speech", StringComparison.OrdinalIgnoreCase)
            || path.Contains("transcri", StringComparison.OrdinalIgnoreCase) ? "audio"
        : "chat";
}
