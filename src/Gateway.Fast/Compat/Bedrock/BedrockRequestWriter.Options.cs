using System.Text.Json;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>The request's settings: <c>inferenceConfig</c>, <c>toolConfig</c> (tools, <c>tool_choice</c>, <c>response_format</c>) and <c>top_k</c>.</summary>
internal static partial class BedrockRequestWriter
{
    /// <summary>
    /// The tool a JSON <c>response_format</c> is forced through. Converse has no JSON mode; a forced tool whose input
    /// schema is the caller's schema is how AWS documents structured output, and the response side turns this tool's
    /// input back into the message content.
    /// </summary>
    public const string JsonResponseTool = "gateway_json_response";

    private enum ChoiceKind : byte { Unset, Auto, None, Required, Named }

    private enum FormatKind : byte { Text, JsonObject, JsonSchema }

    private readonly record struct ToolPlan(bool HasTools, ChoiceKind Choice, JsonElement ChoiceName, FormatKind Format, JsonElement Schema);

    private static string? ReadToolPlan(JsonElement root, out ToolPlan plan)
    {
        plan = default;
        bool hasTools = root.TryGetProperty("tools"u8, out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        var choice = ChoiceKind.Unset;
        JsonElement choiceName = default;
        if (root.TryGetProperty("tool_choice"u8, out var tc) && tc.ValueKind != JsonValueKind.Null)
        {
            if (tc.ValueKind == JsonValueKind.String)
            {
                choice = tc.ValueEquals("auto"u8) ? ChoiceKind.Auto
                    : tc.ValueEquals("none"u8) ? ChoiceKind.None
                    : tc.ValueEquals("required"u8) ? ChoiceKind.Required
                    : ChoiceKind.Unset;
                if (choice == ChoiceKind.Unset)
                {
                    return $"tool_choice '{tc.GetString()}' is not one of auto, none, required.";
                }
            }
            else if (tc.ValueKind == JsonValueKind.Object && tc.TryGetProperty("function"u8, out var f)
                && f.TryGetProperty("name"u8, out choiceName) && choiceName.ValueKind == JsonValueKind.String)
            {
                choice = ChoiceKind.Named;
            }
            else
            {
                return "tool_choice must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}.";
            }

            if (!hasTools && choice is ChoiceKind.Required or ChoiceKind.Named)
            {
                return "tool_choice asks for a tool call, but the request has no tools.";
            }
        }

        var format = FormatKind.Text;
        JsonElement schema = default;
        if (root.TryGetProperty("response_format"u8, out var rf) && rf.ValueKind == JsonValueKind.Object && rf.TryGetProperty("type"u8, out var type))
        {
            if (type.ValueEquals("json_object"u8))
            {
                format = FormatKind.JsonObject;
            }
            else if (type.ValueEquals("json_schema"u8))
            {
                if (!rf.TryGetProperty("json_schema"u8, out var js) || !js.TryGetProperty("schema"u8, out schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return "response_format json_schema needs json_schema.schema (an object).";
                }

                format = FormatKind.JsonSchema;
            }
            else if (!type.ValueEquals("text"u8))
            {
                return $"response_format type '{type}' is not one of text, json_object, json_schema.";
            }
        }

        if (format != FormatKind.Text && hasTools)
        {
            return "response_format json_object/json_schema cannot be combined with tools on aws-bedrock: Converse has no JSON mode, and the gateway expresses it as a forced tool call.";
        }

        plan = new ToolPlan(hasTools, choice, choiceName, format, schema);
        return null;
    }

    private static string? WriteInferenceConfig(Utf8JsonWriter json, JsonElement root)
    {
        if (root.TryGetProperty("n"u8, out var n) && n.ValueKind == JsonValueKind.Number && (!n.TryGetInt32(out int count) || count != 1))
        {
            return "n must be 1 on aws-bedrock: Converse returns one choice.";
        }

        if (root.TryGetProperty("logprobs"u8, out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            return "logprobs is not available from aws-bedrock's Converse API.";
        }

        bool open = false;
        if (!root.TryGetProperty("max_completion_tokens"u8, out var max) || max.ValueKind == JsonValueKind.Null)
        {
            root.TryGetProperty("max_tokens"u8, out max);
        }

        string? error = Number(json, ref open, max, "maxTokens"u8, "max_tokens", integer: true)
            ?? Number(json, ref open, Get(root, "temperature"u8), "temperature"u8, "temperature", integer: false)
            ?? Number(json, ref open, Get(root, "top_p"u8), "topP"u8, "top_p", integer: false);
        if (error is not null)
        {
            return error;
        }

        if (root.TryGetProperty("stop"u8, out var stop) && stop.ValueKind != JsonValueKind.Null)
        {
            Open(json, ref open);
            json.WriteStartArray("stopSequences"u8);
            if (stop.ValueKind == JsonValueKind.String)
            {
                stop.WriteTo(json);
            }
            else if (stop.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in stop.EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.String)
                    {
                        return "stop must be a string or an array of strings.";
                    }

                    s.WriteTo(json);
                }
            }
            else
            {
                return "stop must be a string or an array of strings.";
            }

            json.WriteEndArray();
        }

        if (open)
        {
            json.WriteEndObject();
        }

        return null;

        static string? Number(Utf8JsonWriter json, ref bool open, JsonElement value, ReadOnlySpan<byte> name, string caller, bool integer)
        {
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || (integer && !value.TryGetInt32(out _)))
            {
                return integer ? $"{caller} must be an integer." : $"{caller} must be a number.";
            }

            Open(json, ref open);
            json.WritePropertyName(name);
            value.WriteTo(json);
            return null;
        }

        static void Open(Utf8JsonWriter json, ref bool open)
        {
            if (!open)
            {
                json.WriteStartObject("inferenceConfig"u8);
                open = true;
            }
        }
    }

    /// <summary>
    /// <c>tools</c> → <c>toolConfig.tools[].toolSpec</c>; <c>tool_choice</c> auto → <c>{auto:{}}</c>, required →
    /// <c>{any:{}}</c>, a named function → <c>{tool:{name}}</c>; none → no <c>toolConfig</c> at all, unless the history
    /// holds tool calls or results (Converse rejects those blocks without a <c>toolConfig</c>), then the tools without a choice.
    /// </summary>
    private static string? WriteToolConfig(Utf8JsonWriter json, JsonElement root, in ToolPlan plan, bool hasToolBlocks)
    {
        if (plan.Format != FormatKind.Text)
        {
            json.WriteStartObject("toolConfig"u8);
            json.WriteStartArray("tools"u8);
            json.WriteStartObject();
            json.WriteStartObject("toolSpec"u8);
            json.WriteString("name"u8, JsonResponseTool);
            json.WriteString("description"u8, "Respond with the answer as this tool's input, a JSON object.");
            json.WriteStartObject("inputSchema"u8);
            json.WritePropertyName("json"u8);
            if (plan.Format == FormatKind.JsonSchema)
            {
                plan.Schema.WriteTo(json);
            }
            else
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "object"u8);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("toolChoice"u8);
            json.WriteStartObject("tool"u8);
            json.WriteString("name"u8, JsonResponseTool);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            return null;
        }

        if (!plan.HasTools || (plan.Choice == ChoiceKind.None && !hasToolBlocks))
        {
            return null;
        }

        json.WriteStartObject("toolConfig"u8);
        json.WriteStartArray("tools"u8);
        int index = -1;
        foreach (var tool in root.GetProperty("tools"u8).EnumerateArray())
        {
            index++;
            if (!tool.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                return $"tools[{index}] needs function.name; aws-bedrock takes function tools only.";
            }

            json.WriteStartObject();
            json.WriteStartObject("toolSpec"u8);
            json.WritePropertyName("name"u8);
            name.WriteTo(json);
            if (function.TryGetProperty("description"u8, out var description) && description.ValueKind == JsonValueKind.String
                && !description.ValueEquals(ReadOnlySpan<byte>.Empty))
            {
                json.WritePropertyName("description"u8);
                description.WriteTo(json);
            }

            json.WriteStartObject("inputSchema"u8);
            json.WritePropertyName("json"u8);
            ToolParameters.WriteSchema(json, function);

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        switch (plan.Choice)
        {
            case ChoiceKind.Auto:
                json.WriteStartObject("toolChoice"u8);
                json.WriteStartObject("auto"u8);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            case ChoiceKind.Required:
                json.WriteStartObject("toolChoice"u8);
                json.WriteStartObject("any"u8);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            case ChoiceKind.Named:
                json.WriteStartObject("toolChoice"u8);
                json.WriteStartObject("tool"u8);
                json.WritePropertyName("name"u8);
                plan.ChoiceName.WriteTo(json);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
        }

        json.WriteEndObject();
        return null;
    }

    /// <summary>
    /// <c>top_k</c> has no Converse field; it is native to the model families that take it, through
    /// <c>additionalModelRequestFields</c>: <c>{top_k}</c> for Anthropic, <c>{inferenceConfig: {topK}}</c> for Nova.
    /// </summary>
    private static string? WriteAdditionalFields(Utf8JsonWriter json, JsonElement root, string model)
    {
        var topK = Get(root, "top_k"u8);
        if (topK.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (topK.ValueKind != JsonValueKind.Number || !topK.TryGetInt32(out _))
        {
            return "top_k must be an integer.";
        }

        if (model.Contains("anthropic.", StringComparison.Ordinal))
        {
            json.WriteStartObject("additionalModelRequestFields"u8);
            json.WritePropertyName("top_k"u8);
            topK.WriteTo(json);
            json.WriteEndObject();
        }
        else if (model.Contains("amazon.nova", StringComparison.Ordinal))
        {
            json.WriteStartObject("additionalModelRequestFields"u8);
            json.WriteStartObject("inferenceConfig"u8);
            json.WritePropertyName("topK"u8);
            topK.WriteTo(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            return $"top_k is not available for {model} through Converse (it is for Anthropic and Nova models).";
        }

        return null;
    }

    private static JsonElement Get(JsonElement root, ReadOnlySpan<byte> name) => root.TryGetProperty(name, out var value) ? value : default;
}
