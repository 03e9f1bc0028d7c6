using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>The human-readable <c>message</c> of a provider's JSON error body, at the top (Cohere) or in an <c>error</c> object (Gemini).</summary>
internal static class ErrorMessageReader
{
    /// <summary>
    /// The string <c>message</c> of the body's top object, or of its <paramref name="container"/> object when one is named;
    /// a body wrapped in an array (Google's JSON-array streams) is read from its first element. Null when there is none,
    /// or when the body is not JSON (an HTML page from a proxy in front).
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> native, ReadOnlySpan<byte> container = default)
    {
        try
        {
            var reader = new Utf8JsonReader(native);
            if (!reader.Read() || (reader.TokenType == JsonTokenType.StartArray && !reader.Read()))
            {
                return null;
            }

            if (!container.IsEmpty && !MoveToObject(ref reader, container))
            {
                return null;
            }

            return reader.TokenType == JsonTokenType.StartObject ? StringProperty(ref reader, "message"u8) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>From an object's start, to the start of its object-valued property <paramref name="name"/>; false when there is none.</summary>
    private static bool MoveToObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static string? StringProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            reader.Skip();
        }

        return null;
    }
}
