namespace Gateway.Fast.Forwarding;

/// <summary>What broke an upstream exchange, finer than the <see cref="Errors.GatewayError"/> the caller gets (for logs and metrics).</summary>
/// <remarks>The metric label of each member is in <see cref="ForwardingErrorReporter"/>; add a label when adding a member.</remarks>
internal enum ForwardingFailureKind : byte
{
    /// <summary>The provider's host name did not resolve.</summary>
    Dns,

    /// <summary>Nothing listened at the provider's address.</summary>
    ConnectionRefused,

    /// <summary>The provider (or a middlebox) reset or closed the connection before its answer was whole.</summary>
    ConnectionReset,

    /// <summary>The gateway's timer fired (<c>cf-aig-request-timeout</c>) or connecting took too long.</summary>
    Timeout,

    /// <summary>The answer's body could not be read or used: bad framing, a body past the bound, bytes a translator refused.</summary>
    UpstreamBodyError,

    /// <summary>The provider's stream ended with its own error event, which the translator relayed (unified API).</summary>
    ProviderErrorEvent,

    /// <summary>The caller left (HTTP 499), before the answer or while it streamed.</summary>
    ClientGone,

    /// <summary>The caller's streamed body outgrew the limit while it was being sent upstream.</summary>
    RequestTooLarge,

    /// <summary>Anything else (TLS, protocol errors before the answer).</summary>
    Other,
}
