using System.Net;

namespace Gateway.Fast.Client;

/// <summary>A call the gateway refused or could not answer: the HTTP status, the gateway's or provider's code, and its message.</summary>
public class AiGatewayException : Exception
{
    public AiGatewayException(string message, HttpStatusCode status, string? code = null, string? logId = null)
        : base(message)
    {
        Status = status;
        Code = code;
        LogId = logId;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The error code of the body, e.g. <c>2001</c> (no such gateway), when it carried one.</summary>
    public string? Code { get; }

    /// <summary>The failed request's <c>cf-aig-log-id</c>, when the gateway sent one.</summary>
    public string? LogId { get; }
}
