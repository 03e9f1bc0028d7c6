using Gateway.Fast.Accounting;

namespace Gateway.Fast.Pipeline;

/// <summary>
/// What the answer's log row reads from the <see cref="Microsoft.AspNetCore.Http.HttpContext"/>, taken as the request
/// delegate returns (<see cref="RequestContext.Answer"/>): Kestrel reuses the HttpContext for the connection's next
/// request, while the row is built afterwards, off the connection's path (<see cref="Stages.RowDeferral"/>).
/// </summary>
internal struct RequestAnswerFacts
{
    /// <summary>The status the caller got (499 when the caller left).</summary>
    public int StatusCode;

    /// <summary>When the request ended (Stopwatch ticks): the end of the row's duration.</summary>
    public long EndTimestamp;

    public string? EventId;

    public string? UserAgent;

    /// <summary>The raw <c>cf-aig-custom-cost</c> header, parsed with the row.</summary>
    public string? CustomCostHeader;

    public string? RequestContentType;

    public long? RequestContentLength;

    public string? ResponseContentType;

    /// <summary>The counts AWS put in the response headers (SigV4 providers only), used when the body named no usage.</summary>
    public Usage? HeaderUsage;

    /// <summary>Takes the facts from the request's HttpContext, and the response headers the row keeps into its capture.</summary>
    public static RequestAnswerFacts Take(RequestContext ctx, long endTimestamp)
    {
        var http = ctx.Http;
        var request = http.Request;
        var response = http.Response;
        var headers = request.Headers;
        ctx.ResponseHeaders.Capture(response.Headers);
        return new RequestAnswerFacts
        {
            StatusCode = ctx.CallerStatus,
            EndTimestamp = endTimestamp,
            EventId = headers[ControlHeaders.EventId] is { Count: 1 } eventId ? eventId[0] : null,
            UserAgent = headers.UserAgent is { Count: 1 } agent ? agent[0] : null,
            CustomCostHeader = headers["cf-aig-custom-cost"],
            RequestContentType = request.ContentType,
            RequestContentLength = request.ContentLength,
            ResponseContentType = response.ContentType,
            HeaderUsage = ctx.Provider?.Descriptor.Auth == Providers.ProviderAuth.SigV4
                && BedrockHeaderUsage.TryRead(response.Headers, out var counted) ? counted : null,
        };
    }
}
