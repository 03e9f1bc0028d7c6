using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Errors;

/// <summary>Writes a <see cref="GatewayError"/> in the caller's shape; bodies are rendered once at start, so an error allocates nothing.</summary>
public static class ErrorWriter
{
    private static readonly byte[][] Bodies = Render();

    public static int StatusOf(GatewayError error) => ErrorDescription.For(error).Status;

    public static ReadOnlyMemory<byte> BodyOf(GatewayError error, ErrorShape shape)
        => Bodies[(int)error * ShapeCount + (int)shape];

    public static Task WriteAsync(HttpContext context, GatewayError error, ErrorShape shape)
    {
        var response = context.Response;
        if (response.HasStarted || error == GatewayError.ClientClosed)
        {
            return Task.CompletedTask;
        }

        var body = BodyOf(error, shape);
        response.StatusCode = StatusOf(error);
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.BodyWriter.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Writes an error whose message carries a detail about the caller's own input (cold path: rendered per call).</summary>
    /// <remarks>
    /// The detail takes the generic hint's place (<see cref="ErrorDescription.WithDetail"/>). It must describe the request's
    /// structure only, never echo header values, bodies or credentials; path segments go through <see cref="ErrorDetails"/>.
    /// </remarks>
    public static Task WriteAsync(HttpContext context, GatewayError error, ErrorShape shape, string detail)
    {
        var response = context.Response;
        if (response.HasStarted || error == GatewayError.ClientClosed)
        {
            return Task.CompletedTask;
        }

        var d = ErrorDescription.For(error);
        var body = RenderOne(d, d.WithDetail(detail), shape);
        response.StatusCode = d.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.BodyWriter.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private const int ShapeCount = 3;

    private static byte[][] Render()
    {
        var errors = Enum.GetValues<GatewayError>();
        var bodies = new byte[(errors.Length + 1) * ShapeCount][];
        foreach (var error in errors)
        {
            for (int s = 0; s < ShapeCount; s++)
            {
                var d = ErrorDescription.For(error);
                bodies[(int)error * ShapeCount + s] = RenderOne(d, d.Message, (ErrorShape)s);
            }
        }

        return bodies;
    }

    // Error bodies are application/json for API clients and people reading curl output, never HTML: the relaxed encoder still
    // escapes quotes, backslashes and control characters (every message stays one valid JSON string), but writes a hint's
    // {"id":"…"} as {\"id\":\"…\"} rather than {\u0022id\u0022:…}, and an apostrophe as itself.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static byte[] RenderOne(ErrorDescription d, ErrorShape shape) => RenderOne(d, d.Message, shape);

    private static byte[] RenderOne(ErrorDescription d, string message, ErrorShape shape)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            switch (shape)
            {
                case ErrorShape.OpenAI:
                    w.WriteStartObject("error");
                    w.WriteString("message", message);
                    w.WriteString("type", d.OpenAIType);
                    w.WriteNull("param");
                    w.WriteNumber("code", d.Code);
                    w.WriteEndObject();
                    break;
                case ErrorShape.Anthropic:
                    w.WriteString("type", "error");
                    w.WriteStartObject("error");
                    w.WriteString("type", d.AnthropicType);
                    w.WriteString("message", message);
                    w.WriteEndObject();
                    break;
                default:
                    // Both the old fields and the newer name/internalCode (docs/gateway-api.md#errors).
                    w.WriteBoolean("success", false);
                    w.WriteStartArray("result");
                    w.WriteEndArray();
                    w.WriteStartArray("messages");
                    w.WriteEndArray();
                    w.WriteStartArray("error");
                    w.WriteStartObject();
                    w.WriteNumber("code", d.Code);
                    w.WriteString("message", message);
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteString("name", "AiGatewayError");
                    w.WriteNumber("httpCode", d.Status);
                    w.WriteNumber("internalCode", d.Code);
                    w.WriteString("message", message);
                    break;
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
