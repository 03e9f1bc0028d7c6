using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>An OpenAI function tool's <c>parameters</c> schema, as providers that require one take it.</summary>
internal static class ToolParameters
{
    /// <summary>
    /// Writes <c>function.parameters</c> as a value, or <c>{"type":"object","properties":{}}</c> when the tool has none:
    /// OpenAI allows a tool without parameters, Anthropic and Converse require an object schema.
    /// </summary>
    public static void WriteSchema(Utf8JsonWriter json, JsonElement function)
    {
        if (function.TryGetProperty("parameters"u8, out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            parameters.WriteTo(json);
            return;
        }

        json.WriteStartObject();
        json.WriteString("type"u8, "object"u8);
        json.WriteStartObject("properties"u8);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
