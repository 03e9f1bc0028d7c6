namespace Gateway.Fast.Client;

/// <summary>Options of <see cref="GatewayClient.RunAsync"/> and its streaming and raw siblings.</summary>
public sealed record RunOptions
{
    public GatewayOptions? Gateway { get; init; }

    /// <summary>
    /// The provider when the model does not name it: <c>("gpt-4o-mini", Provider = "openai")</c> is <c>"openai/gpt-4o-mini"</c>;
    /// <c>workers-ai</c> sends the model to the Workers AI endpoint.
    /// </summary>
    public string? Provider { get; init; }

    /// <summary>The provider's own key, sent as <c>Authorization: Bearer</c>; leave it null when the gateway holds the key.</summary>
    public string? ProviderApiToken { get; init; }

    /// <summary>More request headers, sent as given after the ones above.</summary>
    public IReadOnlyDictionary<string, string>? ExtraHeaders { get; init; }
}

/// <summary>Options of <c>AiGateway.RunAsync</c> (the Universal Endpoint).</summary>
public sealed record UniversalRunOptions
{
    public GatewayRequestOptions? Gateway { get; init; }

    public IReadOnlyDictionary<string, string>? ExtraHeaders { get; init; }
}
