using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary><c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c> and the <c>json_schema</c> tool.</summary>
internal static partial class AnthropicRequestWriter
{
    private enum ToolChoice : byte
    {
        Unset,
        Auto,
        None,
        Required,
        Named,
    }

    /// <summary>Writes <c>tools</c> and <c>tool_choice</c>; <paramref name="jsonSchema"/> is the caller's <c>response_format.json_schema</c> object, or default.</summary>
    private static string? WriteTools(Utf8JsonWriter json, JsonElement root, JsonElement jsonSchema)
    {
        bool callerTools = root.TryGetProperty("tools"u8, out JsonElement tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        bool schemaTool = jsonSchema.ValueKind == JsonValueKind.Object;
        if (!callerTools && !schemaTool)
        {
            return null; // a tool_choice without tools has nothing to choose from: dropped
        }

        string? error = ReadToolChoice(root, out ToolChoice choice, out JsonElement named);
        if (error is not null)
        {
            return error;
        }

        json.WriteStartArray("tools"u8);
        if (callerTools)
        {
            foreach (JsonElement tool in tools.EnumerateArray())
            {
                error = WriteTool(json, tool);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        if (schemaTool)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, AnthropicWire.JsonToolNameUtf8);
            string description = jsonSchema.TryGetProperty("description"u8, out JsonElement d) && d.ValueKind == JsonValueKind.String
                ? "Give your final answer by calling this tool. " + d.GetString()
                : "Give your final answer by calling this tool.";
            json.WriteString("description"u8, description);
            json.WritePropertyName("input_schema"u8);
            jsonSchema.GetProperty("schema"u8).WriteTo(json);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        if (schemaTool)
        {
            // Only a forced tool call makes the answer follow the schema; with tools of its own the model may call those
            // instead (any), as OpenAI lets it.
            if (choice == ToolChoice.None)
            {
                return "'tool_choice: none' cannot be combined with 'response_format: json_schema' on Anthropic, which answers with the schema through a tool call.";
            }

            if (!callerTools)
            {
                choice = ToolChoice.Named;
                named = default; // names the schema tool
            }
            else if (choice != ToolChoice.Named)
            {
                choice = ToolChoice.Required;
            }
        }

        bool serial = root.TryGetProperty("parallel_tool_calls"u8, out JsonElement parallel) && parallel.ValueKind == JsonValueKind.False;
        if (choice == ToolChoice.Unset && !serial)
        {
            return null; // Anthropic's default is auto
        }

        json.WriteStartObject("tool_choice"u8);
        switch (choice)
        {
            case ToolChoice.None:
                json.WriteString("type"u8, "none"u8);
                json.WriteEndObject();
                return null; // disable_parallel_tool_use is not allowed with none
            case ToolChoice.Required:
                json.WriteString("type"u8, "any"u8);
                break;
            case ToolChoice.Named:
                json.WriteString("type"u8, "tool"u8);
                if (named.ValueKind == JsonValueKind.String)
                {
                    json.WritePropertyName("name"u8);
                    named.WriteTo(json);
                }
                else
                {
                    json.WriteString("name"u8, AnthropicWire.JsonToolNameUtf8);
                }

                break;
            default:
                json.WriteString("type"u8, "auto"u8);
                break;
        }

        if (serial)
        {
            json.WriteBoolean("disable_parallel_tool_use"u8, true);
        }

        json.WriteEndObject();
        return null;
    }

    private static string? WriteTool(Utf8JsonWriter json, JsonElement tool)
    {
        if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type"u8, out JsonElement type) || !type.ValueEquals("function"u8))
        {
            return "Only tools of type 'function' can be sent to Anthropic.";
        }

        if (!tool.TryGetProperty("function"u8, out JsonElement function) || function.ValueKind != JsonValueKind.Object
            || !function.TryGetProperty("name"u8, out JsonElement name) || name.ValueKind != JsonValueKind.String)
        {
            return "Each tool needs 'function.name'.";
        }

        if (name.ValueEquals(AnthropicWire.JsonToolNameUtf8))
        {
            return $"The tool name '{AnthropicWire.JsonToolName}' is reserved for response_format json_schema on Anthropic.";
        }

        json.WriteStartObject();
        json.WritePropertyName("name"u8);
        name.WriteTo(json);
        if (function.TryGetProperty("description"u8, out JsonElement description) && description.ValueKind == JsonValueKind.String)
        {
            json.WritePropertyName("description"u8);
            description.WriteTo(json);
        }

        json.WritePropertyName("input_schema"u8);
        ToolParameters.WriteSchema(json, function);

        json.WriteEndObject();
        return null;
    }

    private static string? ReadToolChoice(JsonElement root, out ToolChoice choice, out JsonElement named)
    {
        choice = ToolChoice.Unset;
        named = default;
        if (!root.TryGetProperty("tool_choice"u8, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.ValueEquals("auto"u8))
            {
                choice = ToolChoice.Auto;
            }
            else if (value.ValueEquals("none"u8))
            {
                choice = ToolChoice.None;
            }
            else if (value.ValueEquals("required"u8))
            {
                choice = ToolChoice.Required;
            }
            else
            {
                return "'tool_choice' must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}.";
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("function"u8, out JsonElement function)
            && function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name"u8, out named) && named.ValueKind == JsonValueKind.String)
        {
            choice = ToolChoice.Named;
            return null;
        }

        return "'tool_choice' must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}.";
    }
}
