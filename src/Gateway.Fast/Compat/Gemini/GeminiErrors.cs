using System.Text.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>Reads <c>{"error":{"code","message","status"}}</c>, which Google also wraps in an array on JSON-array streams.</summary>
internal static class GeminiErrors
{
    public static string? ReadMessage(ReadOnlySpan<byte> native)
    {
        try
        {
            var reader = new Utf8JsonReader(native);
            if (!reader.Read())
            {
                return null;
            }

            if (reader.TokenType == JsonTokenType.StartArray && !reader.Read())
            {
                return null;
            }

            return reader.TokenType == JsonTokenType.StartObject ? FindMessage(ref reader) : null;
        }
        catch (JsonException)
        {
            return null; // an HTML error page from a proxy in front: nothing to read
        }
    }

    private static string? FindMessage(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool error = reader.ValueTextEquals("error"u8);
            reader.Read();
            if (!error || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool message = reader.ValueTextEquals("message"u8);
                reader.Read();
                if (message && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }

            return null;
        }

        return null;
    }
}
