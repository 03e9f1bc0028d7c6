namespace Gateway.Fast.Errors;

/// <summary>The error body format a route's callers expect (docs/gateway-api.md#errors).</summary>
public enum ErrorShape : byte
{
    /// <summary>Cloudflare AI Gateway's proxy error shape; the default for provider routes and the Universal Endpoint.</summary>
    Cloudflare,
    /// <summary><c>{"error":{"message","type","code"}}</c>: OpenAI passthrough, <c>/compat</c>, default routes.</summary>
    OpenAI,
    /// <summary><c>{"type":"error","error":{"type","message"}}</c>: Anthropic passthrough.</summary>
    Anthropic,
}
