using System.Text.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>Tools, tool choice and <c>generationConfig</c> (sampling, limits, stop sequences, JSON mode, thinking).</summary>
internal static partial class GeminiRequestWriter
{
    /// <summary>Options an answer would silently lack if dropped: the caller gets a 400 instead.</summary>
    private static string? RejectUnsupported(JsonElement root)
    {
        if (root.TryGetProperty("n"u8, out var n) && n.ValueKind == JsonValueKind.Number && (!n.TryGetInt32(out int count) || count != 1))
        {
            return "'n' other than 1 is not supported through /compat for Gemini: the translated answer carries one choice.";
        }

        if ((root.TryGetProperty("logprobs"u8, out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
            || (root.TryGetProperty("top_logprobs"u8, out var top) && top.ValueKind == JsonValueKind.Number))
        {
            return "'logprobs' is not supported through /compat for Gemini.";
        }

        if (root.TryGetProperty("logit_bias"u8, out var bias) && bias.ValueKind == JsonValueKind.Object && HasAny(bias))
        {
            return "'logit_bias' has no Gemini equivalent.";
        }

        if (root.TryGetProperty("audio"u8, out var audio) && audio.ValueKind == JsonValueKind.Object)
        {
            return "Audio output is not supported through /compat for Gemini.";
        }

        if (root.TryGetProperty("functions"u8, out var functions) && functions.ValueKind == JsonValueKind.Array)
        {
            return "'functions' is not supported through /compat; use 'tools'.";
        }

        if (root.TryGetProperty("web_search_options"u8, out var search) && search.ValueKind == JsonValueKind.Object)
        {
            return "'web_search_options' is not supported through /compat for Gemini.";
        }

        return null;
    }

    private static string? WriteTools(Utf8JsonWriter json, JsonElement root)
    {
        if (!root.TryGetProperty("tools"u8, out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return null;
        }

        json.WriteStartArray("tools"u8);
        json.WriteStartObject();
        json.WriteStartArray("functionDeclarations"u8);
        foreach (var tool in tools.EnumerateArray())
        {
            if (!tool.TryGetProperty("type"u8, out var type) || !type.ValueEquals("function"u8)
                || !tool.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                return "Only tools of type 'function' with a 'function.name' can be sent to Gemini.";
            }

            json.WriteStartObject();
            json.WritePropertyName("name"u8);
            name.WriteTo(json);
            if (function.TryGetProperty("description"u8, out var description) && description.ValueKind == JsonValueKind.String)
            {
                json.WritePropertyName("description"u8);
                description.WriteTo(json);
            }

            if (function.TryGetProperty("parameters"u8, out var parameters) && HasProperties(parameters))
            {
                json.WritePropertyName("parameters"u8);
                string? error = GeminiSchemaWriter.Write(json, parameters, "tools[].function.parameters");
                if (error is not null)
                {
                    return error;
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        return WriteToolConfig(json, root);
    }

    /// <summary>
    /// Gemini rejects an OBJECT schema with no properties ("should be non-empty for OBJECT type"), which is how OpenAI
    /// callers describe a function without arguments; such a declaration goes without <c>parameters</c>.
    /// </summary>
    private static bool HasProperties(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object
        && (!parameters.TryGetProperty("properties"u8, out var properties) ? !parameters.TryGetProperty("type"u8, out var t) || !t.ValueEquals("object"u8)
            : properties.ValueKind == JsonValueKind.Object && HasAny(properties));

    private static bool HasAny(JsonElement obj)
    {
        foreach (var _ in obj.EnumerateObject())
        {
            return true;
        }

        return false;
    }

    /// <summary><c>tool_choice</c>: auto → AUTO, none → NONE, required → ANY, a named function → ANY + <c>allowedFunctionNames</c>.</summary>
    private static string? WriteToolConfig(Utf8JsonWriter json, JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice"u8, out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        ReadOnlySpan<byte> mode;
        string? name = null;
        if (choice.ValueKind == JsonValueKind.String)
        {
            mode = choice.ValueEquals("auto"u8) ? "AUTO"u8 : choice.ValueEquals("none"u8) ? "NONE"u8 : choice.ValueEquals("required"u8) ? "ANY"u8 : default;
        }
        else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function"u8, out var function)
            && function.TryGetProperty("name"u8, out var n) && n.ValueKind == JsonValueKind.String)
        {
            mode = "ANY"u8;
            name = n.GetString();
        }
        else
        {
            mode = default;
        }

        if (mode.IsEmpty)
        {
            return "'tool_choice' must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":…}} for Gemini.";
        }

        json.WriteStartObject("toolConfig"u8);
        json.WriteStartObject("functionCallingConfig"u8);
        json.WriteString("mode"u8, mode);
        if (name is not null)
        {
            json.WriteStartArray("allowedFunctionNames"u8);
            json.WriteStringValue(name);
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    private static string? WriteGenerationConfig(Utf8JsonWriter json, JsonElement root)
    {
        bool open = false;
        string? error = CopyNumber(json, root, "temperature"u8, "temperature"u8, ref open)
            ?? CopyNumber(json, root, "top_p"u8, "topP"u8, ref open)
            ?? CopyNumber(json, root, "top_k"u8, "topK"u8, ref open)
            ?? CopyNumber(json, root, "seed"u8, "seed"u8, ref open)
            ?? CopyNumber(json, root, "presence_penalty"u8, "presencePenalty"u8, ref open)
            ?? CopyNumber(json, root, "frequency_penalty"u8, "frequencyPenalty"u8, ref open)
            ?? (root.TryGetProperty("max_completion_tokens"u8, out var m) && m.ValueKind != JsonValueKind.Null
                ? CopyNumber(json, root, "max_completion_tokens"u8, "maxOutputTokens"u8, ref open)
                : CopyNumber(json, root, "max_tokens"u8, "maxOutputTokens"u8, ref open))
            ?? WriteStop(json, root, ref open)
            ?? WriteResponseFormat(json, root, ref open)
            ?? WriteThinking(json, root, ref open);
        if (open)
        {
            json.WriteEndObject();
        }

        return error;
    }

    private static string? CopyNumber(Utf8JsonWriter json, JsonElement root, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, ref bool open)
    {
        if (!root.TryGetProperty(from, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return $"'{System.Text.Encoding.UTF8.GetString(from)}' must be a number.";
        }

        Open(json, ref open);
        json.WritePropertyName(to);
        value.WriteTo(json);
        return null;
    }

    private static string? WriteStop(Utf8JsonWriter json, JsonElement root, ref bool open)
    {
        if (!root.TryGetProperty("stop"u8, out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            Open(json, ref open);
            json.WriteStartArray("stopSequences"u8);
            stop.WriteTo(json);
            json.WriteEndArray();
            return null;
        }

        if (stop.ValueKind != JsonValueKind.Array)
        {
            return "'stop' must be a string or an array of strings.";
        }

        Open(json, ref open);
        json.WriteStartArray("stopSequences"u8);
        foreach (var s in stop.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.String)
            {
                return "'stop' must be a string or an array of strings.";
            }

            s.WriteTo(json);
        }

        json.WriteEndArray();
        return null;
    }

    /// <summary>json_object → <c>responseMimeType: application/json</c>; json_schema → that plus <c>responseSchema</c>.</summary>
    private static string? WriteResponseFormat(Utf8JsonWriter json, JsonElement root, ref bool open)
    {
        if (!root.TryGetProperty("response_format"u8, out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type"u8, out var type) || type.ValueEquals("text"u8))
        {
            return null;
        }

        if (type.ValueEquals("json_object"u8))
        {
            Open(json, ref open);
            json.WriteString("responseMimeType"u8, "application/json"u8);
            return null;
        }

        if (!type.ValueEquals("json_schema"u8))
        {
            return "'response_format.type' must be text, json_object or json_schema.";
        }

        Open(json, ref open);
        json.WriteString("responseMimeType"u8, "application/json"u8);
        if (format.TryGetProperty("json_schema"u8, out var wrapper) && wrapper.ValueKind == JsonValueKind.Object
            && wrapper.TryGetProperty("schema"u8, out var schema) && schema.ValueKind == JsonValueKind.Object)
        {
            json.WritePropertyName("responseSchema"u8);
            return GeminiSchemaWriter.Write(json, schema, "response_format.json_schema.schema");
        }

        return null;
    }

    /// <summary>
    /// <c>reasoning_effort</c> → <c>thinkingConfig</c>: the budgets Google's own OpenAI-compatible endpoint documents
    /// (low 1024, medium 8192, high 24576 tokens; none 0), with <c>includeThoughts</c> so the thinking comes back as
    /// <c>reasoning_content</c>.
    /// </summary>
    private static string? WriteThinking(Utf8JsonWriter json, JsonElement root, ref bool open)
    {
        if (!root.TryGetProperty("reasoning_effort"u8, out var effort) || effort.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        int budget = effort.ValueKind != JsonValueKind.String ? -1
            : effort.ValueEquals("none"u8) ? 0
            : effort.ValueEquals("minimal"u8) || effort.ValueEquals("low"u8) ? 1024
            : effort.ValueEquals("medium"u8) ? 8192
            : effort.ValueEquals("high"u8) ? 24576
            : -1;
        if (budget < 0)
        {
            return "'reasoning_effort' must be none, minimal, low, medium or high.";
        }

        Open(json, ref open);
        json.WriteStartObject("thinkingConfig"u8);
        json.WriteNumber("thinkingBudget"u8, budget);
        if (budget > 0)
        {
            json.WriteBoolean("includeThoughts"u8, true);
        }

        json.WriteEndObject();
        return null;
    }

    private static void Open(Utf8JsonWriter json, ref bool open)
    {
        if (!open)
        {
            open = true;
            json.WriteStartObject("generationConfig"u8);
        }
    }
}
