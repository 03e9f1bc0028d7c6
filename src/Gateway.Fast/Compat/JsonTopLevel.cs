using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>Reads one top-level property of a JSON object with <see cref="Utf8JsonReader"/>, skipping the rest: no DOM.</summary>
internal static class JsonTopLevel
{
    /// <summary>
    /// The string value of <paramref name="name"/> (null when absent or not a string); false when the body is not a
    /// JSON object.
    /// </summary>
    public static bool TryGetString(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, out string? value)
    {
        value = null;
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                {
                    value = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
