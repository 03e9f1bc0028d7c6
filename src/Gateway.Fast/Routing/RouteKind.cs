namespace Gateway.Fast.Routing;

/// <summary>What a request path addresses; decided once per request by <see cref="RouteParser"/>.</summary>
public enum RouteKind : byte
{
    /// <summary>Not a proxy path (management, metrics, health…): the next middleware handles it.</summary>
    NotProxy,
    /// <summary><c>/v1/{account}/{gateway}/{provider}/{*path}</c>.</summary>
    Provider,
    /// <summary><c>/v1/{account}/{gateway}</c> (trailing slash allowed): the Universal Endpoint.</summary>
    Universal,
    /// <summary><c>/v1/{account}/{gateway}/compat/{*path}</c>: the unified OpenAI-compatible API.</summary>
    Compat,
    /// <summary><c>/v1/chat/completions</c> and the other reserved first segments: model-routed default routes.</summary>
    DefaultRoute,
    /// <summary><c>/{openai|anthropic|workers-ai|google|azure|bedrock}/v1/{*path}</c>, or <c>/{…}/{endpoint}</c> without
    /// <c>v1/</c>: OpenAI-format base paths for team keys (docs/gateway-api.md#team-base-paths).</summary>
    TeamBasePath,
    /// <summary>Starts with <c>/v1/</c> but is not a valid gateway path (empty segments, no gateway).</summary>
    Malformed,
}
