namespace Gateway.Fast.Forwarding;

/// <summary>Which headers cross the proxy: hop-by-hop headers never do (RFC 9110 §7.6.1), nor the gateway's own <c>cf-aig-*</c> controls.</summary>
public static class HeaderRules
{
    /// <summary>True for request headers that must not be sent upstream.</summary>
    public static bool SkipRequestHeader(string name)
    {
        if (name.Length == 0 || name[0] == ':')
        {
            return true; // HTTP/2 pseudo-headers
        }

        if (name.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase)
            || name.Equals("cf-cache-ttl", StringComparison.OrdinalIgnoreCase)
            || name.Equals("cf-skip-cache", StringComparison.OrdinalIgnoreCase))
        {
            return true; // gateway controls are ours (docs/gateway-api.md#provider-endpoints), legacy names included
        }

        return IsHopByHop(name)
            || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Expect", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True for the caller's headers a unified-API (translated) request does not send: content headers (the body is
    /// the gateway's), credentials (re-expressed in the provider's own header) and <c>Accept-Encoding</c>.
    /// </summary>
    public static bool SkipUnifiedRequestHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("api-key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("x-goog-api-key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for response headers that must not be copied to the client.</summary>
    public static bool SkipResponseHeader(string name) => IsHopByHop(name);

    public static bool IsHopByHop(string name) => name.Length switch
    {
        2 => name.Equals("TE", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("Trailer", StringComparison.OrdinalIgnoreCase) || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase),
        16 => name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase),
        17 => name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase),
        18 => name.Equals("Proxy-Authenticate", StringComparison.OrdinalIgnoreCase),
        19 => name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
