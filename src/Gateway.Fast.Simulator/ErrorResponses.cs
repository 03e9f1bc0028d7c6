using System.Text.Json;

namespace Gateway.Fast.Simulator;

/// <summary>Error bodies in each provider's shape, for <c>x-sim-status</c> and unknown routes.</summary>
internal static class ErrorResponses
{
    public static SimResponse Build(in ResponseKey key)
    {
        int status = key.Status;
        string message = key.Endpoint == SimEndpoint.NotFound
            ? "Unknown simulator route."
            : $"Simulated error: status {status} requested with x-sim-status.";
        var b = new ResponseBuilder();
        var w = b.Json();
        KeyValuePair<string, string>? extra = null;
        string contentType = ContentTypes.Json;

        switch (key.Endpoint)
        {
            case SimEndpoint.AnthropicMessages:
                // {"type":"error","error":{"type","message"},"request_id"} as in anthropic/cassette-error-400-invalid-request.yaml
                w.WriteStartObject();
                w.WriteString("type"u8, "error"u8);
                w.WriteStartObject("error"u8);
                w.WriteString("type"u8, AnthropicType(status));
                w.WriteString("message"u8, message);
                w.WriteEndObject();
                w.WriteString("request_id"u8, "req_011" + SimText.Id(status, 21));
                w.WriteEndObject();
                break;

            case SimEndpoint.GeminiGenerate or SimEndpoint.GeminiStream or SimEndpoint.GeminiCountTokens or SimEndpoint.GeminiBatchEmbed:
                contentType = ContentTypes.GoogleJson;
                w.WriteStartObject();
                w.WriteStartObject("error"u8);
                w.WriteNumber("code"u8, status);
                w.WriteString("message"u8, message);
                w.WriteString("status"u8, GoogleStatus(status));
                w.WriteEndObject();
                w.WriteEndObject();
                break;

            case SimEndpoint.BedrockConverse or SimEndpoint.BedrockConverseStream or SimEndpoint.BedrockInvoke
                or SimEndpoint.BedrockInvokeStream:
                // Plain JSON even on converse-stream (fixtures/bedrock/cassette-error-400-converse-stream.yaml).
                w.WriteStartObject();
                w.WriteString("message"u8, message);
                w.WriteEndObject();
                extra = new("x-amzn-ErrorType", BedrockType(status) + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
                break;

            case SimEndpoint.CohereV1Chat or SimEndpoint.CohereV2Chat or SimEndpoint.CohereV2Embed:
                w.WriteStartObject();
                w.WriteString("id"u8, SimText.Id(status, 8).ToLowerInvariant() + "-sim0-4000-8000-000000000000");
                w.WriteString("message"u8, message);
                w.WriteEndObject();
                break;

            case SimEndpoint.WorkersAiRun:
                w.WriteStartObject();
                w.WriteNull("result"u8);
                w.WriteBoolean("success"u8, false);
                w.WriteStartArray("errors"u8);
                w.WriteStartObject();
                w.WriteNumber("code"u8, 3000 + (status % 1000));
                w.WriteString("message"u8, message);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartArray("messages"u8);
                w.WriteEndArray();
                w.WriteEndObject();
                break;

            default:
                // {"error":{"message","type","param","code"}} as in openai/cassette-error-404-model-not-found.yaml
                contentType = ContentTypes.JsonUtf8;
                w.WriteStartObject();
                w.WriteStartObject("error"u8);
                w.WriteString("message"u8, message);
                w.WriteString("type"u8, OpenAIType(status));
                w.WriteNull("param"u8);
                string? code = OpenAICode(status, key.Endpoint);
                if (code is null)
                {
                    w.WriteNull("code"u8);
                }
                else
                {
                    w.WriteString("code"u8, code);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }

        return b.Build(contentType, isStream: false, status, extra);
    }

    private static string OpenAIType(int status) => status switch
    {
        401 => "invalid_request_error",
        403 => "permission_error",
        404 => "invalid_request_error",
        429 => "requests",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    private static string? OpenAICode(int status, SimEndpoint endpoint) => status switch
    {
        401 => "invalid_api_key",
        404 => endpoint == SimEndpoint.NotFound ? "unknown_url" : "model_not_found",
        429 => "rate_limit_exceeded",
        _ => null,
    };

    private static string AnthropicType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    private static string GoogleStatus(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        >= 500 => "INTERNAL",
        _ => "FAILED_PRECONDITION",
    };

    private static string BedrockType(int status) => status switch
    {
        400 => "ValidationException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        408 => "ModelTimeoutException",
        424 => "ModelErrorException",
        429 => "ThrottlingException",
        503 => "ServiceUnavailableException",
        _ => "InternalServerException",
    };
}
