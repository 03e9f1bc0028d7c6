namespace Gateway.Fast.Client;

/// <summary>Where a <see cref="GatewayClient"/> finds the gateway and how it authenticates.</summary>
public sealed record GatewayClientOptions
{
    /// <summary>The gateway's root URL. Default: the <c>AI_GATEWAY_URL</c> environment variable, else <c>http://localhost:8080</c>.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The account segment of gateway URLs (free text on a self-hosted gateway). Default: <c>default</c>.</summary>
    public string AccountId { get; init; } = "default";

    /// <summary>
    /// The management token (or a gateway token): sent as <c>Authorization: Bearer</c> to the logs and analytics API and as
    /// <c>cf-aig-authorization</c> to the proxy, which an authenticated gateway requires.
    /// </summary>
    public string? ApiToken { get; init; }
}
