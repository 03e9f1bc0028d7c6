namespace Gateway.Fast.Forwarding;

/// <summary>One upstream attempt up to its response headers: the response, or the error that ended it.</summary>
internal readonly struct UpstreamAttempt
{
    public UpstreamAttempt(HttpResponseMessage? response, HttpRequestMessage? message, Errors.GatewayError error, long sendStart, long headersAt)
    {
        Response = response;
        Message = message;
        Error = error;
        SendStart = sendStart;
        HeadersAt = headersAt;
    }

    /// <summary>Null when the attempt failed before response headers (see <see cref="Error"/>).</summary>
    public HttpResponseMessage? Response { get; }

    /// <summary>The request message, disposed with the response.</summary>
    public HttpRequestMessage? Message { get; }

    public Errors.GatewayError Error { get; }

    public long SendStart { get; }

    public long HeadersAt { get; }

    public int StatusCode => Response is null ? 0 : (int)Response.StatusCode;

    /// <summary>Releases an answer that will not be relayed (a retry or a fallback follows).</summary>
    public void Discard()
    {
        Response?.Dispose();
        Message?.Dispose();
    }
}
