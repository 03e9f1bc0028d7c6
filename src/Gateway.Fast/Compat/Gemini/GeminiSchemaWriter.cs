using System.Text.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// Copies a JSON Schema (tool parameters, <c>json_schema</c> response formats) into the OpenAPI 3.0 subset Gemini's
/// <c>Schema</c> accepts, dropping what it rejects.
/// </summary>
/// <remarks>
/// Kept: <c>type</c>, <c>description</c>, <c>title</c>, <c>nullable</c>, <c>enum</c>, <c>required</c>, <c>properties</c>,
/// <c>items</c>, <c>anyOf</c>, <c>minItems</c>/<c>maxItems</c>, <c>minLength</c>/<c>maxLength</c>, <c>pattern</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>minProperties</c>/<c>maxProperties</c>, <c>default</c>, <c>example</c>,
/// <c>propertyOrdering</c>, and <c>format</c> when it is one Gemini knows (date-time, enum, int32, int64, float, double).
/// Rewritten: <c>"type": ["string", "null"]</c> → <c>"type": "string", "nullable": true</c> (several non-null types become
/// <c>anyOf</c>); <c>oneOf</c> → <c>anyOf</c> (looser, the only union Gemini has); <c>const</c> → a one-value <c>enum</c>.
/// Dropped (Gemini answers 400 "Unknown name" or "Invalid JSON payload" for them): <c>$schema</c>, <c>$id</c>,
/// <c>$comment</c>, <c>$defs</c>/<c>definitions</c>, <c>additionalProperties</c>, <c>strict</c>, <c>examples</c>,
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>, <c>multipleOf</c>, <c>uniqueItems</c>, <c>patternProperties</c>,
/// <c>not</c>, <c>if</c>/<c>then</c>/<c>else</c>, <c>readOnly</c>/<c>writeOnly</c>, other <c>format</c>s and any other keyword.
/// Refused with a 400: <c>$ref</c> and <c>allOf</c> (dropping them would change what the schema means) and tuple
/// <c>items</c> arrays.
/// </remarks>
internal static class GeminiSchemaWriter
{
    public static string? Write(Utf8JsonWriter json, JsonElement schema, string where)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return $"{where} must be a JSON Schema object for Gemini.";
        }

        json.WriteStartObject();
        bool hasEnum = schema.TryGetProperty("enum"u8, out _);
        foreach (var property in schema.EnumerateObject())
        {
            JsonElement value = property.Value;
            string? error = null;
            switch (Classify(property))
            {
                case Keyword.Type:
                    error = WriteType(json, value, where);
                    break;
                case Keyword.Properties:
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        return $"{where}: 'properties' must be an object.";
                    }

                    json.WriteStartObject("properties"u8);
                    foreach (var child in value.EnumerateObject())
                    {
                        json.WritePropertyName(child.Name);
                        error = Write(json, child.Value, where);
                        if (error is not null)
                        {
                            return error;
                        }
                    }

                    json.WriteEndObject();
                    break;
                case Keyword.Items:
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        return $"{where}: tuple schemas (an 'items' array) cannot be expressed for Gemini.";
                    }

                    json.WritePropertyName("items"u8);
                    error = Write(json, value, where);
                    break;
                case Keyword.AnyOf:
                    if (value.ValueKind != JsonValueKind.Array)
                    {
                        return $"{where}: 'anyOf'/'oneOf' must be an array.";
                    }

                    json.WriteStartArray("anyOf"u8);
                    foreach (var option in value.EnumerateArray())
                    {
                        error ??= Write(json, option, where);
                    }

                    if (error is null)
                    {
                        json.WriteEndArray();
                    }

                    break;
                case Keyword.Const:
                    if (!hasEnum)
                    {
                        json.WriteStartArray("enum"u8);
                        value.WriteTo(json);
                        json.WriteEndArray();
                    }

                    break;
                case Keyword.Format:
                    if (value.ValueKind == JsonValueKind.String && (value.ValueEquals("date-time"u8) || value.ValueEquals("enum"u8)
                        || value.ValueEquals("int32"u8) || value.ValueEquals("int64"u8) || value.ValueEquals("float"u8) || value.ValueEquals("double"u8)))
                    {
                        property.WriteTo(json);
                    }

                    break;
                case Keyword.Refused:
                    return $"{where} uses '{property.Name}', which Gemini's schema cannot express; inline the definitions.";
                case Keyword.Copied:
                    property.WriteTo(json);
                    break;
                default:
                    break; // not in Gemini's Schema: dropped (see remarks)
            }

            if (error is not null)
            {
                return error;
            }
        }

        json.WriteEndObject();
        return null;
    }

    private enum Keyword : byte
    {
        Dropped,
        Type,
        Properties,
        Items,
        AnyOf,
        Const,
        Format,
        Refused,
        Copied,
    }

    /// <summary>Compares the keyword's UTF-8 bytes, so a schema's keywords cost no strings.</summary>
    private static Keyword Classify(JsonProperty p)
    {
        if (p.NameEquals("type"u8)) return Keyword.Type;
        if (p.NameEquals("properties"u8)) return Keyword.Properties;
        if (p.NameEquals("items"u8)) return Keyword.Items;
        if (p.NameEquals("anyOf"u8) || p.NameEquals("oneOf"u8)) return Keyword.AnyOf;
        if (p.NameEquals("const"u8)) return Keyword.Const;
        if (p.NameEquals("format"u8)) return Keyword.Format;
        if (p.NameEquals("$ref"u8) || p.NameEquals("allOf"u8)) return Keyword.Refused;
        if (p.NameEquals("description"u8) || p.NameEquals("required"u8) || p.NameEquals("enum"u8) || p.NameEquals("title"u8)
            || p.NameEquals("nullable"u8) || p.NameEquals("minItems"u8) || p.NameEquals("maxItems"u8) || p.NameEquals("minLength"u8)
            || p.NameEquals("maxLength"u8) || p.NameEquals("pattern"u8) || p.NameEquals("minimum"u8) || p.NameEquals("maximum"u8)
            || p.NameEquals("minProperties"u8) || p.NameEquals("maxProperties"u8) || p.NameEquals("default"u8)
            || p.NameEquals("example"u8) || p.NameEquals("propertyOrdering"u8))
        {
            return Keyword.Copied;
        }

        return Keyword.Dropped;
    }

    private static string? WriteType(Utf8JsonWriter json, JsonElement type, string where)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            json.WritePropertyName("type"u8);
            type.WriteTo(json);
            return null;
        }

        if (type.ValueKind != JsonValueKind.Array)
        {
            return $"{where}.type must be a string or an array of strings.";
        }

        int nonNull = 0;
        bool nullable = false;
        foreach (var t in type.EnumerateArray())
        {
            if (t.ValueEquals("null"u8))
            {
                nullable = true;
            }
            else
            {
                nonNull++;
            }
        }

        if (nonNull == 1)
        {
            foreach (var t in type.EnumerateArray())
            {
                if (!t.ValueEquals("null"u8))
                {
                    json.WritePropertyName("type"u8);
                    t.WriteTo(json);
                }
            }
        }
        else if (nonNull > 1)
        {
            json.WriteStartArray("anyOf"u8);
            foreach (var t in type.EnumerateArray())
            {
                if (!t.ValueEquals("null"u8))
                {
                    json.WriteStartObject();
                    json.WritePropertyName("type"u8);
                    t.WriteTo(json);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        if (nullable)
        {
            json.WriteBoolean("nullable"u8, true);
        }

        return null;
    }
}
