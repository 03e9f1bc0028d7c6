namespace Gateway.Fast.Errors;

/// <summary>Every expected failure the gateway itself answers; <see cref="ErrorWriter"/> maps each to a status and body.</summary>
public enum GatewayError : byte
{
    None,
    /// <summary>A <c>/v1/</c> path with an empty or missing gateway or provider segment.</summary>
    MalformedPath,
    /// <summary>No gateway with that id (code 2001, docs/gateway-api.md#errors).</summary>
    GatewayNotFound,
    /// <summary>The gateway requires <c>cf-aig-authorization</c> and the request's is missing or wrong (401, code 2009).</summary>
    Unauthorized,
    /// <summary><c>cf-aig-byok-alias</c> names a stored provider key the gateway does not hold (400, code 2040).</summary>
    ByokCredentialNotFound,
    /// <summary>The provider slug is not in the catalog (code 2008, docs/gateway-api.md#errors).</summary>
    InvalidProvider,
    /// <summary>The request body is larger than <c>Gateway:MaxRequestBodyBytes</c>.</summary>
    RequestBodyTooLarge,
    /// <summary>The upstream could not be reached or broke the connection before answering (502, code 2005).</summary>
    UpstreamUnavailable,
    /// <summary>No response headers from the upstream within the request timeout (504, code 2005).</summary>
    UpstreamTimeout,
    /// <summary>The gateway's rate limit is used up for this window (429, code 2003, with Retry-After).</summary>
    RateLimited,
    /// <summary>The Universal Endpoint's body is not a valid array of steps (400).</summary>
    InvalidUniversalRequest,
    /// <summary><c>cf-aig-metadata</c> is not a JSON object of at most 5 string/number/boolean entries (400).</summary>
    InvalidMetadata,
    /// <summary>The route is one of Cloudflare's but this build does not serve it yet.</summary>
    RouteNotAvailable,
    /// <summary>A unified-API (<c>/compat</c> or default route) body that is not a chat request the gateway can route or translate (400, code 2019).</summary>
    ChatCompletionBadFormat,
    /// <summary>Our own: a limited team key asked for a model outside its allowed list (403, code 2015).</summary>
    ModelNotAllowed,
    /// <summary>The caller went away; nothing is written.</summary>
    ClientClosed,
    /// <summary>A prompt guardrail with action BLOCK matched the request (424, code 2016).</summary>
    PromptBlocked,
    /// <summary>A response guardrail with action BLOCK matched the upstream's answer (424, code 2017).</summary>
    ResponseBlocked,
    /// <summary>A DLP policy with action BLOCK matched the request (424, our choice of status; code 2029).</summary>
    DlpRequestBlocked,
    /// <summary>A DLP policy with action BLOCK matched the response (424, our choice of status; code 2030).</summary>
    DlpResponseBlocked,
}
