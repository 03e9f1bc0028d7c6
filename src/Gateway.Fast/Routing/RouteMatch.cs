namespace Gateway.Fast.Routing;

/// <summary>A parsed proxy path: offsets into the request path string, so parsing allocates nothing.</summary>
public readonly struct RouteMatch
{
    public RouteMatch(RouteKind kind, Range account, Range gateway, Range provider, Range rest)
    {
        Kind = kind;
        Account = account;
        Gateway = gateway;
        Provider = provider;
        Rest = rest;
    }

    public RouteKind Kind { get; }

    /// <summary>The account segment (any non-empty text; self-hosted gateways do not check it).</summary>
    public Range Account { get; }

    /// <summary>The gateway id segment.</summary>
    public Range Gateway { get; }

    /// <summary>The provider slug (<c>openai</c>, <c>workers-ai</c>, …) or <c>compat</c>.</summary>
    public Range Provider { get; }

    /// <summary>Everything after the provider segment, without its leading slash; may be empty.</summary>
    public Range Rest { get; }

    public static RouteMatch NotProxy => default;

    public static RouteMatch Malformed => new(RouteKind.Malformed, default, default, default, default);
}
