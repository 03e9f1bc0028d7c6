using System.Net;

namespace Gateway.Fast.Client;

/// <summary>The logs or analytics API answered anything but success or "not found"; the binding's <c>AiGatewayInternalError</c>.</summary>
public sealed class AiGatewayInternalException : AiGatewayException
{
    public AiGatewayInternalException(string message, HttpStatusCode status, string? code = null)
        : base(message, status, code)
    {
    }
}
