using Gateway.Fast.Errors;

namespace Gateway.Fast.Forwarding;

/// <summary>How the relay of one answer's body ended (as YARP's StreamCopyResult: which side stopped it).</summary>
internal enum RelayOutcome : byte
{
    /// <summary>The upstream ended normally and everything reached the client's buffer.</summary>
    Success,

    /// <summary>A body filter refused a piece (response guardrails or DLP): <see cref="RelayResult.Error"/> says why.</summary>
    Blocked,

    /// <summary>The client left: a write found the connection closed, or its abort cancelled a read.</summary>
    ClientGone,

    /// <summary>Reading the upstream body threw (reset, bad framing), or a filter could not use its bytes.</summary>
    UpstreamError,

    /// <summary>The gateway's own token cancelled a read while the client was still there.</summary>
    Canceled,

    /// <summary>The provider's stream ended in its own error event, which the filter already relayed.</summary>
    ProviderError,
}

/// <summary>The outcome of <see cref="BodyRelay.CopyAsync"/>, with the caller's error and the exception when there is one.</summary>
internal readonly struct RelayResult
{
    private RelayResult(RelayOutcome outcome, GatewayError error, Exception? exception)
    {
        Outcome = outcome;
        Error = error;
        Exception = exception;
    }

    public RelayOutcome Outcome { get; }

    /// <summary>The error the request ends with (<see cref="GatewayError.None"/> on success).</summary>
    public GatewayError Error { get; }

    public Exception? Exception { get; }

    public static RelayResult Success => default;

    public static RelayResult ClientGone => new(RelayOutcome.ClientGone, GatewayError.ClientClosed, null);

    public static RelayResult ProviderError => new(RelayOutcome.ProviderError, GatewayError.UpstreamUnavailable, null);

    public static RelayResult Blocked(GatewayError verdict) => new(RelayOutcome.Blocked, verdict, null);

    /// <summary>A read or a filter threw: <paramref name="error"/> is what <see cref="ForwardingFailure.Classify"/> made of it.</summary>
    public static RelayResult Failed(Exception exception, GatewayError error) => new(error switch
    {
        GatewayError.ClientClosed => RelayOutcome.ClientGone,
        GatewayError.UpstreamTimeout => RelayOutcome.Canceled,
        _ => RelayOutcome.UpstreamError,
    }, error, exception);
}
