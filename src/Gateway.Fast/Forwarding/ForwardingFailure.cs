using System.Net.Sockets;
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

    /// <summary>Sorts <paramref name="exception"/> as <see cref="Classify"/> did into <paramref name="error"/>, and finer, for the operator.</summary>
    /// <param name="exception">What the exchange threw.</param>
    /// <param name="error">What <see cref="Classify"/> returned for it: the caller-facing half decides first.</param>
    /// <param name="inBody">The answer's headers had arrived: an unknown failure is then the body's.</param>
    public static ForwardingFailureKind KindOf(Exception exception, GatewayError error, bool inBody)
    {
        switch (error)
        {
            case GatewayError.ClientClosed:
                return ForwardingFailureKind.ClientGone;
            case GatewayError.RequestBodyTooLarge:
                return ForwardingFailureKind.RequestTooLarge;
            case GatewayError.UpstreamTimeout:
                return ForwardingFailureKind.Timeout;
        }

        // The socket's own code is the most precise; SocketsHttpHandler wraps it in an HttpRequestException or an IOException.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                switch (socket.SocketErrorCode)
                {
                    case SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain:
                        return ForwardingFailureKind.Dns;
                    case SocketError.ConnectionRefused:
                        return ForwardingFailureKind.ConnectionRefused;
                    case SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown:
                        return ForwardingFailureKind.ConnectionReset;
                    case SocketError.TimedOut:
                        return ForwardingFailureKind.Timeout;
                }
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return ForwardingFailureKind.Dns;
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return ForwardingFailureKind.ConnectionReset; // the connection closed before the answer was whole
                case TimeoutException:
                    return ForwardingFailureKind.Timeout; // SocketsHttpHandler's ConnectTimeout
            }
        }

        return inBody ? ForwardingFailureKind.UpstreamBodyError : ForwardingFailureKind.Other;
    }

    /// <summary>The <see cref="HttpRequestError"/> in <paramref name="exception"/>'s chain, for the log line.</summary>
    public static HttpRequestError RequestErrorOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } request)
            {
                return request.HttpRequestError;
            }

            if (e is HttpIOException { HttpRequestError: not HttpRequestError.Unknown } io)
            {
                return io.HttpRequestError;
            }
        }

        return HttpRequestError.Unknown;
    }

    /// <summary>The <see cref="SocketError"/> in <paramref name="exception"/>'s chain, for the log line.</summary>
    public static SocketError SocketErrorOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return SocketError.Success;
    }
}
