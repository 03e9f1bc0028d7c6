using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Fast.Client.Logs;

/// <summary>Reads a row's <c>metadata</c>, which the logs API sends as a JSON-encoded string (Cloudflare's SDK types it so), as an object.</summary>
public sealed class MetadataJsonConverter : JsonConverter<IReadOnlyDictionary<string, JsonElement>?>
{
    public override IReadOnlyDictionary<string, JsonElement>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                try
                {
                    using var inner = JsonDocument.Parse(reader.GetString()!);
                    return ToDictionary(inner.RootElement);
                }
                catch (JsonException)
                {
                    return null; // not an object: the row's text carries no readable metadata
                }

            default:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return ToDictionary(document.RootElement);
                }
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement>? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        foreach (var (name, element) in value)
        {
            writer.WritePropertyName(name);
            element.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static Dictionary<string, JsonElement>? ToDictionary(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }
}
