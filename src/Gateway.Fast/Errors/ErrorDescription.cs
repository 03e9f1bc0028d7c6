namespace Gateway.Fast.Errors;

/// <summary>Status, Cloudflare code, message and the OpenAI/Anthropic error types of one <see cref="GatewayError"/>.</summary>
public readonly record struct ErrorDescription(int Status, int Code, string Message, string OpenAIType, string AnthropicType)
{
    /// <summary>The one switch that knows statuses (style.md §5). Messages are fixed texts: they never carry request data or secrets.</summary>
    public static ErrorDescription For(GatewayError error) => error switch
    {
        GatewayError.MalformedPath => new(400, 2000, "Malformed gateway path: expected /v1/{account_id}/{gateway_id}/{provider}/{path}", "invalid_request_error", "invalid_request_error"),
        GatewayError.GatewayNotFound => new(400, 2001, "Please configure AI Gateway in the Cloudflare dashboard", "invalid_request_error", "invalid_request_error"),
        GatewayError.Unauthorized => new(401, 2009, "Unauthorized", "authentication_error", "authentication_error"),
        GatewayError.ByokCredentialNotFound => new(400, 2040, "No BYOK credential under that alias", "invalid_request_error", "invalid_request_error"),
        GatewayError.InvalidProvider => new(400, 2008, "Invalid provider", "invalid_request_error", "invalid_request_error"),
        GatewayError.RequestBodyTooLarge => new(413, 2010, "Request body too large", "invalid_request_error", "request_too_large"),
        GatewayError.UpstreamUnavailable => new(502, 2005, "Failed to get response from provider", "api_error", "api_error"),
        GatewayError.UpstreamTimeout => new(504, 2005, "Failed to get response from provider: request timed out", "timeout_error", "timeout_error"),
        GatewayError.RateLimited => new(429, 2003, "Rate limited", "rate_limit_error", "rate_limit_error"),
        GatewayError.InvalidUniversalRequest => new(400, 2013, "Invalid Universal Endpoint request", "invalid_request_error", "invalid_request_error"),
        GatewayError.InvalidMetadata => new(400, 2014, "Invalid cf-aig-metadata", "invalid_request_error", "invalid_request_error"),
        GatewayError.RouteNotAvailable => new(501, 2011, "This route is not available in this version of the gateway", "invalid_request_error", "invalid_request_error"),
        GatewayError.ChatCompletionBadFormat => new(400, 2019, "Chat completion bad format", "invalid_request_error", "invalid_request_error"),
        GatewayError.ModelNotAllowed => new(403, 2015, "Model not allowed for this API key", "permission_error", "permission_error"),
        GatewayError.ClientClosed => new(499, 2012, "Client closed the request", "api_error", "api_error"),
        GatewayError.PromptBlocked => new(424, 2016, "Prompt blocked due to security configurations", "invalid_request_error", "invalid_request_error"),
        GatewayError.ResponseBlocked => new(424, 2017, "Response blocked due to security configurations", "invalid_request_error", "invalid_request_error"),
        GatewayError.DlpRequestBlocked => new(424, 2029, "Request content blocked due to DLP policy violations", "invalid_request_error", "invalid_request_error"),
        GatewayError.DlpResponseBlocked => new(424, 2030, "Response content blocked due to DLP policy violations", "invalid_request_error", "invalid_request_error"),
        _ => new(500, 2099, "Internal gateway error", "api_error", "api_error"),
    };
}
