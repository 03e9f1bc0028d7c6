using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>Anthropic's error body <c>{"type":"error","error":{"type","message"},"request_id"}</c>, read and re-shaped.</summary>
internal static class AnthropicErrors
{
    /// <summary><c>error.message</c>, or null when the body is not Anthropic's error shape (a proxy's HTML page, say).</summary>
    public static string? ReadMessage(ReadOnlySpan<byte> native)
    {
        ReadError(native, out _, out string? message);
        return message;
    }

    /// <summary>Reads <c>error.type</c> and <c>error.message</c> from a body or an <c>error</c> stream event.</summary>
    public static void ReadError(ReadOnlySpan<byte> native, out string? type, out string? message)
    {
        type = null;
        message = null;
        try
        {
            var reader = new Utf8JsonReader(native);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (!isError || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isType = reader.ValueTextEquals("type"u8);
                    bool isMessage = reader.ValueTextEquals("message"u8);
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isType || isMessage))
                    {
                        if (isType)
                        {
                            type = reader.GetString();
                        }
                        else
                        {
                            message = reader.GetString();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Truncated or not JSON: whatever was read before the fault stands.
        }
    }

    /// <summary>
    /// An <c>error</c> event mid-stream (<c>overloaded_error</c>, say) after the 200 is sent: OpenAI's streamed error
    /// shape, <c>data: {"error":{"message","type","param","code"}}</c>, is the last thing the caller gets.
    /// </summary>
    public static void WriteStreamError(IBufferWriter<byte> output, ReadOnlySpan<byte> nativeEvent)
    {
        ReadError(nativeEvent, out string? type, out string? message);
        CompatStreamError.Write(output, message, type);
    }
}
