using Gateway.Fast.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Forwarding;

/// <summary>The one place exceptions of an upstream exchange are sorted into <see cref="GatewayError"/>s (as YARP's HandleRequestFailureAsync).</summary>
internal static class ForwardingFailure
{
    public static GatewayError Classify(Exception exception, HttpContext http, CancellationTokenSource upstreamCancellation)
    {
        if (http.RequestAborted.IsCancellationRequested)
        {
            return GatewayError.ClientClosed;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return GatewayError.RequestBodyTooLarge;
            }

            if (e is BadHttpRequestException or Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
                return GatewayError.ClientClosed; // the client's body broke off while we sent it upstream
            }
        }

        if (exception is OperationCanceledException && upstreamCancellation.IsCancellationRequested)
        {
            return GatewayError.UpstreamTimeout; // our timer fired; the client is still here (checked above)
        }

        return GatewayError.UpstreamUnavailable;
    }
}
