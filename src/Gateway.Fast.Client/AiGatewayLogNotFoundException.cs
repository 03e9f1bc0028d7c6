using System.Net;

namespace Gateway.Fast.Client;

/// <summary>The logs API holds no such row (404); the binding's <c>AiGatewayLogNotFound</c>.</summary>
public sealed class AiGatewayLogNotFoundException : AiGatewayException
{
    public AiGatewayLogNotFoundException(string message, string? code = null)
        : base(message, HttpStatusCode.NotFound, code)
    {
    }
}
