using System.Diagnostics;
using Gateway.Fast.Accounting;
using Gateway.Fast.Errors;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Routing;
using Gateway.Fast.Utilities;

namespace Gateway.Fast.Logging;

/// <summary>
/// Builds a request's log row from its context: the one place that says what each column of a row holds
/// (docs/gateway-api.md#logs-api). Two kinds of row come from a request: the row of the answer the caller got, and,
/// on the Universal Endpoint, one row per step that failed and handed over to the next.
/// </summary>
/// <remarks>Both return a struct whose strings the request already holds: building a row allocates nothing.</remarks>
internal static class RequestLogRow
{
    /// <summary>The row of the response the caller got: status, usage and cost, timings, sizes, and whether bodies are kept.</summary>
    /// <param name="ctx">The finished request; its HttpContext may already serve the connection's next request, so what
    /// the row needs from it is read from <see cref="RequestContext.Answer"/>.</param>
    /// <param name="costs">Prices the usage.</param>
    public static LogRowFields ForAnswer(RequestContext ctx, CostCalculator costs)
    {
        ref readonly var answer = ref ctx.Answer;
        int status = answer.StatusCode;
        string model = ModelOf(ctx);
        var usage = ctx.Error != GatewayError.None || status is < 200 or >= 300 ? default
            : ctx.Usage.CompleteOrEstimate(ctx.Log.RequestBody.Span); // the tokenizer runs only when the provider reported nothing
        if (usage.Estimated && answer.HeaderUsage is { } counted)
        {
            usage = counted; // InvokeModel bodies of most models name no usage; AWS (the one SigV4 provider) counts in its headers
        }

        bool customCost = CustomCost.TryParse(answer.CustomCostHeader, out var custom);
        bool hasUsage = usage.Found || usage.Estimated;
        double? cost = hasUsage
            ? costs.Compute(ctx.Provider?.Id ?? "", string.IsNullOrEmpty(model) ? usage.Model : model, usage, customCost ? custom : null)
            : customCost && custom.TotalCost is double total ? total : null;

        var row = Common(ctx, ctx.LogId, string.IsNullOrEmpty(model) ? usage.Model ?? "" : model, RequestTypeOf(ctx.Route.Kind),
            answer.EventId, answer.UserAgent);
        row.Success = ctx.Error == GatewayError.None && status is >= 200 and < 300;
        row.Cached = ctx.Cache.Hit;
        row.StatusCode = status;
        row.Duration = (int)Stopwatch.GetElapsedTime(ctx.StartTimestamp, answer.EndTimestamp).TotalMilliseconds;
        row.TimeToFirstTokenMs = ctx.Log.FirstByteTimestamp == 0 ? null
            : (int)Stopwatch.GetElapsedTime(ctx.StartTimestamp, ctx.Log.FirstByteTimestamp).TotalMilliseconds;
        row.TokensIn = hasUsage ? usage.InputTokens : null;
        row.TokensOut = hasUsage ? usage.OutputTokens : null;
        row.TokensEstimated = usage.Estimated;
        row.Cost = cost;
        row.CustomCost = customCost;
        row.RequestContentType = answer.RequestContentType;
        row.ResponseContentType = answer.ResponseContentType;
        row.RequestSize = ctx.BodyBuffered ? ctx.Body.Length : answer.RequestContentLength ?? 0;
        row.ResponseSize = ctx.Log.ResponseBytes;
        row.BodiesKept = ctx.Log.CaptureResponse;
        return row;
    }

    /// <summary>
    /// The row of a Universal step that failed and handed over to the next one (docs/gateway-api.md#universal-endpoint):
    /// its own id, never a success, no usage and no bodies. The answering step's row is <see cref="ForAnswer"/>.
    /// </summary>
    /// <param name="ctx">The request, set to the failed step.</param>
    /// <param name="id">The step row's own id.</param>
    /// <param name="statusCode">The provider's status, or the status of the gateway's error when no response came.</param>
    public static LogRowFields ForFallenStep(RequestContext ctx, string id, int statusCode)
    {
        var headers = ctx.Http.Request.Headers;
        var row = Common(ctx, id, ModelOf(ctx), "universal",
            headers[ControlHeaders.EventId] is { Count: 1 } eventId ? eventId[0] : null,
            headers.UserAgent is { Count: 1 } agent ? agent[0] : null);
        row.Success = false;
        row.StatusCode = statusCode;
        row.Duration = (int)Stopwatch.GetElapsedTime(ctx.StartTimestamp).TotalMilliseconds;
        row.RequestContentType = "application/json"; // a step's request is the JSON the Universal body gave it
        row.RequestSize = ctx.Log.RequestBody.Length;
        return row;
    }

    /// <summary>The columns every row of the request shares: who called, where it went, and the caller's log controls.</summary>
    private static LogRowFields Common(RequestContext ctx, string id, string model, string requestType, string? eventId,
        string? userAgent)
    {
        string path = ctx.ProviderPath;
        return new LogRowFields
        {
            Id = id,
            GatewayId = ctx.Gateway!.Id,
            CreatedAtUnixMs = ctx.Log.CreatedAtUnixMs,
            Provider = ctx.Provider?.Id ?? "",
            Model = model,
            ModelType = ModelTypeOf(path),
            Path = path,
            RequestType = requestType,
            Metadata = ctx.Log.MetadataJson,
            Step = ctx.Log.Step,
            EventId = eventId,
            Authentication = ctx.Gateway.Authentication,
            UserAgent = userAgent,
            DlpAction = ctx.Guard?.DlpAction,
            TeamId = ctx.Auth.TeamKey?.TeamId,
            TeamName = ctx.Auth.TeamKey?.Name,
            SessionId = ctx.Log.SessionId,
            GuardrailFlags = ctx.Guard?.Flags,
        };
    }

    /// <summary>
    /// <c>request_type</c> (docs/gateway-api.md#logs-api): the unified API, the default routes and the team base paths are
    /// <c>compat</c>. Our own column, so a query can tell the three ways in apart.
    /// </summary>
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
        var body = ctx.Log.RequestBody.Span;
        int start = model.Start.Value, end = model.End.Value;
        return end > start && end <= body.Length ? LogModelNames.Get(body[start..end]) : "";
    }

    /// <summary><c>model_type</c>, guessed from the provider path (docs/gateway-api.md#logs-api).</summary>
    private static string ModelTypeOf(string path) => ModelTypes.Get(path);

    // Five case-insensitive searches of the path per row; a gateway sees few distinct paths, so the answer is kept per path.
    private static readonly StringMemo<string> ModelTypes = new(DecideModelType);

    private static string DecideModelType(string path) =>
        path.Contains("embed", StringComparison.OrdinalIgnoreCase) ? "embedding"
        : path.Contains("images", StringComparison.OrdinalIgnoreCase) ? "image"
        : path.Contains("audio", StringComparison.OrdinalIgnoreCase) || path.Contains("speech", StringComparison.OrdinalIgnoreCase)
            || path.Contains("transcri", StringComparison.OrdinalIgnoreCase) ? "audio"
        : "chat";
}
