namespace Gateway.Fast.Errors;

/// <summary>Status, Cloudflare code, message and the OpenAI/Anthropic error types of one <see cref="GatewayError"/>.</summary>
/// <remarks>
/// A message is <c>{Title}: {Hint}</c>: what went wrong, then what the caller can do about it. <see cref="Title"/> keeps the
/// text Cloudflare's gateway answers where it has one ("Unauthorized", "Invalid provider"), so code matching on it still
/// matches; a request-specific detail (<see cref="WithDetail"/>) replaces the generic hint.
/// </remarks>
public readonly record struct ErrorDescription(int Status, int Code, string Title, string Hint, string OpenAIType, string AnthropicType)
{
    /// <summary>The message of the fixed body, sent when the request gave no detail.</summary>
    public string Message => $"{Title}: {Hint}";

    /// <summary>The message with a request-specific detail in place of the generic hint.</summary>
    public string WithDetail(string detail) => $"{Title}: {detail}";

    /// <summary>The one switch that knows statuses (docs/design.md#the-request-path). Texts are fixed: they never carry request data or secrets.</summary>
    public static ErrorDescription For(GatewayError error) => error switch
    {
        GatewayError.MalformedPath => new(400, 2000, "Malformed gateway path",
            "expected /v1/{account_id}/{gateway_id}/{provider}/{endpoint}, e.g. /v1/my-account/default/openai/chat/completions, "
            + "or POST /v1/{account_id}/{gateway_id} for the Universal Endpoint",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.GatewayNotFound => new(400, 2001, "Gateway not found", ErrorDetails.NoSuchGatewayHint,
            "invalid_request_error", "invalid_request_error"),
        GatewayError.Unauthorized => new(401, 2009, "Unauthorized",
            "send the credential this route expects: a gateway token as cf-aig-authorization: Bearer {token} on a gateway with "
            + "authentication on, a team key as Authorization: Bearer sk_... on the team base paths, the AUTH_TOKEN as X-AUTH-TOKEN "
            + "on the default routes",
            "authentication_error", "authentication_error"),
        GatewayError.ByokCredentialNotFound => new(400, 2040, "BYOK credential not found",
            "the gateway stores no provider key under the alias in cf-aig-byok-alias; "
            + "GET /api/management/gateways/{gateway_id}/provider_configs lists the stored ones",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.InvalidProvider => new(400, 2008, "Invalid provider", ErrorDetails.UnknownProviderHint,
            "invalid_request_error", "invalid_request_error"),
        GatewayError.RequestBodyTooLarge => new(413, 2010, "Request body too large",
            "the gateway accepts bodies up to Gateway:MaxRequestBodyBytes (25 MiB unless configured); send a smaller body or raise the setting",
            "invalid_request_error", "request_too_large"),
        GatewayError.UpstreamUnavailable => new(502, 2005, "Failed to get response from provider",
            "the provider could not be reached or closed the connection before answering; retry later, or check the provider's "
            + "status and the gateway's upstream base URL (Gateway__Providers__{provider}__BaseUrl)",
            "api_error", "api_error"),
        GatewayError.UpstreamTimeout => new(504, 2005, "Failed to get response from provider",
            "request timed out waiting for the provider's answer; raise cf-aig-request-timeout (ms) or the gateway's request_timeout",
            "timeout_error", "timeout_error"),
        GatewayError.RateLimited => new(429, 2003, "Rate limited",
            "the request limit of this gateway or key is used up for the current window; retry after the seconds in Retry-After",
            "rate_limit_error", "rate_limit_error"),
        GatewayError.InvalidUniversalRequest => new(400, 2013, "Invalid Universal Endpoint request",
            "the body must be a JSON array of steps, each {\"provider\", \"endpoint\", \"headers\", \"query\"}",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.InvalidMetadata => new(400, 2014, "Invalid cf-aig-metadata",
            "send a JSON object of at most 5 entries whose values are strings, numbers or booleans",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.RouteNotAvailable => new(501, 2011, "This route is not available in this version of the gateway",
            "the README lists the routes this gateway serves",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.ChatCompletionBadFormat => new(400, 2019, "Chat completion bad format",
            "send an OpenAI chat completions body: a JSON object with \"model\" and \"messages\"",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.ModelNotAllowed => new(403, 2015, "Model not allowed for this API key",
            "this team key may call only the models in its allowed_models; use one of those, or have it added with "
            + "PATCH /api/management/tokens/{id}",
            "permission_error", "permission_error"),
        GatewayError.ClientClosed => new(499, 2012, "Client closed the request",
            "the caller went away before the answer, so nothing was sent",
            "api_error", "api_error"),
        GatewayError.PromptBlocked => new(424, 2016, "Prompt blocked due to security configurations",
            "a prompt guardrail of this gateway set to BLOCK matched; change the prompt, or the gateway's guardrails setting",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.ResponseBlocked => new(424, 2017, "Response blocked due to security configurations",
            "a response guardrail of this gateway set to BLOCK matched the model's answer; change the prompt, or the gateway's "
            + "guardrails setting",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.DlpRequestBlocked => new(424, 2029, "Request content blocked due to DLP policy violations",
            "a DLP policy of this gateway set to BLOCK matched the request (the cf-aig-dlp header names what matched); remove the "
            + "sensitive data, or change the gateway's dlp setting",
            "invalid_request_error", "invalid_request_error"),
        GatewayError.DlpResponseBlocked => new(424, 2030, "Response content blocked due to DLP policy violations",
            "a DLP policy of this gateway set to BLOCK matched the model's answer (the cf-aig-dlp header or the log row names what matched); "
            + "change the prompt, or the gateway's dlp setting",
            "invalid_request_error", "invalid_request_error"),
        _ => new(500, 2099, "Internal gateway error",
            "the gateway failed to handle this request; its log has the details under this response's cf-aig-log-id",
            "api_error", "api_error"),
    };
}
