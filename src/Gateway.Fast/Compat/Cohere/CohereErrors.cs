using System.Text.Json;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>Reads Cohere's error body <c>{"id","message"}</c> (fixtures/cohere/cassette-error-404-embed.yaml).</summary>
internal static class CohereErrors
{
    public static string? ReadMessage(ReadOnlySpan<byte> native)
    {
        try
        {
            var reader = new Utf8JsonReader(native);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
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
        catch (JsonException)
        {
            return null; // not JSON (a proxy's HTML page): nothing to read
        }
    }
}
