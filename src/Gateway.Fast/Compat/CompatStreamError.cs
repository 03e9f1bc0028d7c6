using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>
/// The event a translated stream ends with when the upstream fails after the first byte: OpenAI's error object as an
/// SSE event, <c>data: {"error": {message, type, param, code}}</c>, the shape OpenAI itself sends mid-stream.
/// </summary>
/// <remarks>
/// The status is already 200 by then (docs/design.md#the-request-path): the event is all a caller can be told. Every translator that meets a
/// provider's mid-stream error, or an event it cannot read, writes it here.
/// </remarks>
internal static class CompatStreamError
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the event; <paramref name="message"/> and <paramref name="code"/> are UTF-8 (unescaped).</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> message, string type, ReadOnlySpan<byte> code)
    {
        output.Write("data: "u8);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteStartObject("error"u8);
            json.WriteString("message"u8, message);
            json.WriteString("type"u8, type);
            json.WriteNull("param"u8);
            if (code.IsEmpty)
            {
                json.WriteNull("code"u8);
            }
            else
            {
                json.WriteString("code"u8, code);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    /// <summary>Writes the event from a provider error already read into text (null message or type: a generic one).</summary>
    public static void Write(IBufferWriter<byte> output, string? message, string? type)
    {
        output.Write("data: "u8);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteStartObject("error"u8);
            json.WriteString("message"u8, message ?? "The upstream stream failed.");
            json.WriteString("type"u8, type ?? "api_error");
            json.WriteNull("param"u8);
            json.WriteNull("code"u8);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
