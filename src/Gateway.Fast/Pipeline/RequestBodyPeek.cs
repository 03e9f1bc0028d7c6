using System.Text.Json;

namespace Gateway.Fast.Pipeline;

/// <summary>Finds the top-level <c>model</c> and <c>stream</c> of a JSON body with <see cref="Utf8JsonReader"/>, without a DOM.</summary>
public static class RequestBodyPeek
{
    /// <summary>
    /// Reads the body's top-level properties once. <paramref name="model"/> is the byte range of the model string's
    /// raw value inside <paramref name="body"/> (empty when absent); false when the body is not a JSON object,
    /// which is not an error: the upstream judges its own input.
    /// </summary>
    public static bool TryPeek(ReadOnlySpan<byte> body, out Range model, out bool stream)
    {
        model = default;
        stream = false;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                    {
                        int start = (int)reader.TokenStartIndex + 1; // past the opening quote
                        model = start..(start + reader.ValueSpan.Length);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
