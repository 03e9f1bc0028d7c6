using System.Net.Sockets;
using Gateway.Fast.Metrics;
using Gateway.Fast.Pipeline;
using Microsoft.Extensions.Logging;

namespace Gateway.Fast.Forwarding;

/// <summary>
/// The one place a failed upstream attempt or relay is told to the operator: a log line and
/// <c>gateway_upstream_errors_total{gateway,provider,kind}</c>, once per failure (as YARP's ReportProxyError).
/// </summary>
/// <remarks>
/// Callers: <see cref="ProxyForwarder.SendAsync"/> for an attempt that got no answer, the relay for a body that broke or a
/// caller who left, <see cref="AttemptRunner"/> for a caller who left during a backoff. A caller who leaves is counted but
/// logged at Debug only: it is the caller's doing and frequent.
/// The line names the exception's types, its <see cref="HttpRequestError"/> and <see cref="SocketError"/>, never its message
/// nor the exception object: HttpClient's messages may quote the request URL, and some providers carry the key in it
/// (Gemini's <c>?key=</c>).
/// </remarks>
internal sealed partial class ForwardingErrorReporter
{
    /// <summary>The metric label of each <see cref="ForwardingFailureKind"/>, indexed by its value.</summary>
    private static readonly string[] Labels =
        ["dns", "connection_refused", "connection_reset", "timeout", "upstream_body_error", "provider_error_event", "client_gone",
            "request_too_large", "other"];

    private readonly ILogger _logger;
    private readonly GatewayMetrics _metrics;

    public ForwardingErrorReporter(ILogger<ForwardingErrorReporter> logger, GatewayMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The metric label of <paramref name="kind"/> (<c>client_gone</c>, <c>timeout</c>…).</summary>
    public static string LabelOf(ForwardingFailureKind kind) => Labels[(int)kind];

    /// <param name="ctx">The request: its gateway and provider ids name the series.</param>
    /// <param name="kind">What broke.</param>
    /// <param name="status">The status already sent to the caller, or 0 when the attempt got no answer.</param>
    /// <param name="exception">What was thrown, or null (a provider's error event, a caller who left between reads).</param>
    public void Report(RequestContext ctx, ForwardingFailureKind kind, int status, Exception? exception)
    {
        string gateway = ctx.Gateway?.Id ?? GatewayMetrics.Unknown;
        string provider = ctx.Provider?.Id ?? GatewayMetrics.Unknown;
        _metrics.RecordUpstreamError(gateway, provider, LabelOf(kind));
        if (kind == ForwardingFailureKind.ClientGone)
        {
            Log.CallerLeft(_logger, gateway, provider, status);
            return;
        }

        var socketError = ForwardingFailure.SocketErrorOf(exception);
        if (socketError == SocketError.TooManyOpenSockets)
        {
            Hosting.DescriptorExhaustion.Report(_logger, "upstream connect");
        }

        if (_logger.IsEnabled(LogLevel.Warning))
        {
            Log.UpstreamFailed(_logger, LabelOf(kind), gateway, provider, status, TypesOf(exception),
                ForwardingFailure.RequestErrorOf(exception), socketError);
        }
    }

    /// <summary>The exception's type and its inner exceptions' (<c>HttpRequestException &lt; SocketException</c>): no messages.</summary>
    private static string TypesOf(Exception? exception)
    {
        if (exception is null)
        {
            return "none";
        }

        if (exception.InnerException is null)
        {
            return exception.GetType().Name;
        }

        var types = new System.Text.StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            types.Append(types.Length == 0 ? "" : " < ").Append(e.GetType().Name);
        }

        return types.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
            Message = "Upstream exchange failed: {Kind} (gateway {GatewayId}, provider {ProviderId}, status {Status}, "
                + "{ExceptionTypes}, HTTP error {HttpRequestError}, socket error {SocketError})")]
        public static partial void UpstreamFailed(ILogger logger, string kind, string gatewayId, string providerId, int status,
            string exceptionTypes, HttpRequestError httpRequestError, SocketError socketError);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
            Message = "The caller left before the answer was whole (gateway {GatewayId}, provider {ProviderId}, status {Status})")]
        public static partial void CallerLeft(ILogger logger, string gatewayId, string providerId, int status);
    }
}
