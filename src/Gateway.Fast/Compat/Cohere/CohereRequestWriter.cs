using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Compat.Cohere;

/// <summary>Writes a Cohere v2 <c>/v2/chat</c> body from an OpenAI chat request.</summary>
/// <remarks>
/// Cohere v2's messages are close to OpenAI's: system/user/assistant/tool roles, <c>tool_calls</c> in OpenAI's own
/// shape, tool results by <c>tool_call_id</c>. The differences: an assistant's text next to its tool calls is Cohere's
/// <c>tool_plan</c>; sampling is <c>p</c>/<c>k</c>; <c>stop</c> is <c>stop_sequences</c>; <c>tool_choice</c> is
/// REQUIRED/NONE only, so a named function becomes REQUIRED with the tool list cut to that one function. Each method
/// returns null or the caller-facing reason the request cannot be expressed.
/// </remarks>
internal static class CohereRequestWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Write(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath)
    {
        upstreamPath = "v2/chat";
        JsonElement root = request.Root;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "The request body must be a JSON object.";
        }

        if (!root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return "'messages' must be a non-empty array.";
        }

        string? error = RejectUnsupported(root);
        if (error is not null)
        {
            return error;
        }

        using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        json.WriteString("model"u8, request.Model);
        error = WriteMessages(json, messages) ?? WriteTools(json, root) ?? WriteParameters(json, root);
        if (error is not null)
        {
            return error;
        }

        if (request.Stream)
        {
            json.WriteBoolean("stream"u8, true);
        }

        json.WriteEndObject();
        return null;
    }

    private static string? RejectUnsupported(JsonElement root)
    {
        if (root.TryGetProperty("n"u8, out var n) && n.ValueKind == JsonValueKind.Number && (!n.TryGetInt32(out int count) || count != 1))
        {
            return "'n' other than 1 is not supported through /compat for Cohere: the translated answer carries one choice.";
        }

        if ((root.TryGetProperty("logprobs"u8, out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
            || (root.TryGetProperty("top_logprobs"u8, out var top) && top.ValueKind == JsonValueKind.Number))
        {
            return "'logprobs' is not supported through /compat for Cohere.";
        }

        if (root.TryGetProperty("logit_bias"u8, out var bias) && bias.ValueKind == JsonValueKind.Object && HasAny(bias))
        {
            return "'logit_bias' has no Cohere equivalent.";
        }

        if (root.TryGetProperty("audio"u8, out var audio) && audio.ValueKind == JsonValueKind.Object)
        {
            return "Audio output is not supported by Cohere.";
        }

        if (root.TryGetProperty("functions"u8, out var functions) && functions.ValueKind == JsonValueKind.Array)
        {
            return "'functions' is not supported through /compat; use 'tools'.";
        }

        return null;
    }

    private static bool HasAny(JsonElement obj)
    {
        foreach (var _ in obj.EnumerateObject())
        {
            return true;
        }

        return false;
    }

    private static string? WriteMessages(Utf8JsonWriter json, JsonElement messages)
    {
        json.WriteStartArray("messages"u8);
        int at = -1;
        foreach (var message in messages.EnumerateArray())
        {
            at++;
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role"u8, out var role) || role.ValueKind != JsonValueKind.String)
            {
                return $"messages[{at}] needs a 'role'.";
            }

            string? error;
            if (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8))
            {
                json.WriteStartObject();
                json.WriteString("role"u8, "system"u8);
                error = WriteText(json, "content"u8, message, at);
            }
            else if (role.ValueEquals("user"u8))
            {
                json.WriteStartObject();
                json.WriteString("role"u8, "user"u8);
                error = WriteUserContent(json, message, at);
            }
            else if (role.ValueEquals("assistant"u8))
            {
                bool hasCalls = message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
                if (!hasCalls && !HasText(message))
                {
                    continue; // Cohere rejects an assistant message with neither content nor tool calls
                }

                json.WriteStartObject();
                json.WriteString("role"u8, "assistant"u8);
                error = hasCalls ? WriteToolCalls(json, message, calls, at) : WriteText(json, "content"u8, message, at);
            }
            else if (role.ValueEquals("tool"u8))
            {
                if (!message.TryGetProperty("tool_call_id"u8, out var id) || id.ValueKind != JsonValueKind.String)
                {
                    return $"messages[{at}] (role tool) needs 'tool_call_id'.";
                }

                json.WriteStartObject();
                json.WriteString("role"u8, "tool"u8);
                json.WritePropertyName("tool_call_id"u8);
                id.WriteTo(json);
                error = WriteText(json, "content"u8, message, at);
            }
            else
            {
                return $"messages[{at}] has role '{role.GetString()}', which /compat cannot send to Cohere (use system, user, assistant or tool).";
            }

            if (error is not null)
            {
                return error;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        return null;
    }

    /// <summary>Assistant tool calls in OpenAI's shape, which Cohere v2 shares; the text beside them is the <c>tool_plan</c>.</summary>
    private static string? WriteToolCalls(Utf8JsonWriter json, JsonElement message, JsonElement calls, int at)
    {
        if (HasText(message))
        {
            string? error = WriteText(json, "tool_plan"u8, message, at);
            if (error is not null)
            {
                return error;
            }
        }

        json.WriteStartArray("tool_calls"u8);
        foreach (var call in calls.EnumerateArray())
        {
            if (!call.TryGetProperty("id"u8, out var id) || id.ValueKind != JsonValueKind.String
                || !call.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                return $"messages[{at}].tool_calls needs 'id' and 'function.name' on every call.";
            }

            json.WriteStartObject();
            json.WritePropertyName("id"u8);
            id.WriteTo(json);
            json.WriteString("type"u8, "function"u8);
            json.WriteStartObject("function"u8);
            json.WritePropertyName("name"u8);
            name.WriteTo(json);
            if (function.TryGetProperty("arguments"u8, out var arguments) && arguments.ValueKind == JsonValueKind.String)
            {
                json.WritePropertyName("arguments"u8);
                arguments.WriteTo(json);
            }
            else if (arguments.ValueKind == JsonValueKind.Object)
            {
                json.WriteString("arguments"u8, arguments.GetRawText());
            }
            else
            {
                json.WriteString("arguments"u8, "{}"u8);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        return null;
    }

    /// <summary>User content: a string, or parts (<c>text</c> and <c>image_url</c>, which Cohere's vision models take as OpenAI writes them).</summary>
    private static string? WriteUserContent(Utf8JsonWriter json, JsonElement message, int at)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return WriteText(json, "content"u8, message, at);
        }

        json.WriteStartArray("content"u8);
        foreach (var part in content.EnumerateArray())
        {
            if (!part.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return $"messages[{at}].content[] parts need a 'type'.";
            }

            if (type.ValueEquals("text"u8)
                && part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "text"u8);
                json.WritePropertyName("text"u8);
                text.WriteTo(json);
                json.WriteEndObject();
            }
            else if (type.ValueEquals("image_url"u8) && part.TryGetProperty("image_url"u8, out var image))
            {
                var url = image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url"u8, out var u) ? u : image;
                if (url.ValueKind != JsonValueKind.String)
                {
                    return $"messages[{at}]: image_url needs a 'url'.";
                }

                json.WriteStartObject();
                json.WriteString("type"u8, "image_url"u8);
                json.WriteStartObject("image_url"u8);
                json.WritePropertyName("url"u8);
                url.WriteTo(json);
                if (image.ValueKind == JsonValueKind.Object && image.TryGetProperty("detail"u8, out var detail) && detail.ValueKind == JsonValueKind.String)
                {
                    json.WritePropertyName("detail"u8);
                    detail.WriteTo(json);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }
            else
            {
                return $"messages[{at}]: content part type '{type.GetString()}' cannot be sent to Cohere (text and image_url can).";
            }
        }

        json.WriteEndArray();
        return null;
    }

    /// <summary>Text-only content as one string: a string, or its text parts joined.</summary>
    private static string? WriteText(Utf8JsonWriter json, ReadOnlySpan<byte> property, JsonElement message, int at)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null)
        {
            json.WriteString(property, ""u8);
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            json.WritePropertyName(property);
            content.WriteTo(json);
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"messages[{at}].content must be a string or an array of parts.";
        }

        var joined = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (!part.TryGetProperty("type"u8, out var type) || !(type.ValueEquals("text"u8) || type.ValueEquals("refusal"u8))
                || !part.TryGetProperty(type.ValueEquals("text"u8) ? "text"u8 : "refusal"u8, out var text) || text.ValueKind != JsonValueKind.String)
            {
                return $"messages[{at}] can carry only text parts to Cohere.";
            }

            joined.Append(text.GetString());
        }

        json.WriteString(property, joined.ToString());
        return null;
    }

    private static bool HasText(JsonElement message) =>
        message.TryGetProperty("content"u8, out var content)
        && (content.ValueKind == JsonValueKind.String ? !content.ValueEquals(""u8) : content.ValueKind == JsonValueKind.Array && content.GetArrayLength() > 0);

    /// <summary>Tools pass in OpenAI's shape (Cohere v2 shares it) minus <c>strict</c>; a named <c>tool_choice</c> keeps only that tool.</summary>
    private static string? WriteTools(Utf8JsonWriter json, JsonElement root)
    {
        if (!root.TryGetProperty("tools"u8, out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return null;
        }

        string? only = null;
        ReadOnlySpan<byte> choice = default;
        if (root.TryGetProperty("tool_choice"u8, out var toolChoice) && toolChoice.ValueKind != JsonValueKind.Null)
        {
            if (toolChoice.ValueKind == JsonValueKind.String)
            {
                choice = toolChoice.ValueEquals("required"u8) ? "REQUIRED"u8 : toolChoice.ValueEquals("none"u8) ? "NONE"u8 : default;
                if (choice.IsEmpty && !toolChoice.ValueEquals("auto"u8))
                {
                    return "'tool_choice' must be 'auto', 'none', 'required' or a named function for Cohere.";
                }
            }
            else if (toolChoice.ValueKind == JsonValueKind.Object && toolChoice.TryGetProperty("function"u8, out var f)
                && f.TryGetProperty("name"u8, out var n) && n.ValueKind == JsonValueKind.String)
            {
                choice = "REQUIRED"u8;
                only = n.GetString();
            }
            else
            {
                return "'tool_choice' must be 'auto', 'none', 'required' or a named function for Cohere.";
            }
        }

        json.WriteStartArray("tools"u8);
        bool found = only is null;
        foreach (var tool in tools.EnumerateArray())
        {
            if (!tool.TryGetProperty("type"u8, out var type) || !type.ValueEquals("function"u8)
                || !tool.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                return "Only tools of type 'function' with a 'function.name' can be sent to Cohere.";
            }

            if (only is not null && !name.ValueEquals(only))
            {
                continue;
            }

            found = true;
            json.WriteStartObject();
            json.WriteString("type"u8, "function"u8);
            json.WriteStartObject("function"u8);
            foreach (var property in function.EnumerateObject())
            {
                if (property.NameEquals("name"u8) || property.NameEquals("description"u8) || property.NameEquals("parameters"u8))
                {
                    property.WriteTo(json);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (!found)
        {
            return $"'tool_choice' names '{only}', which is not among the tools.";
        }

        if (!choice.IsEmpty)
        {
            json.WriteString("tool_choice"u8, choice);
        }

        return null;
    }

    private static string? WriteParameters(Utf8JsonWriter json, JsonElement root)
    {
        string? error = CopyNumber(json, root, "temperature"u8, "temperature"u8)
            ?? CopyNumber(json, root, "top_p"u8, "p"u8)
            ?? CopyNumber(json, root, "top_k"u8, "k"u8)
            ?? CopyNumber(json, root, "seed"u8, "seed"u8)
            ?? CopyNumber(json, root, "presence_penalty"u8, "presence_penalty"u8)
            ?? CopyNumber(json, root, "frequency_penalty"u8, "frequency_penalty"u8)
            ?? (root.TryGetProperty("max_completion_tokens"u8, out var m) && m.ValueKind != JsonValueKind.Null
                ? CopyNumber(json, root, "max_completion_tokens"u8, "max_tokens"u8)
                : CopyNumber(json, root, "max_tokens"u8, "max_tokens"u8));
        if (error is not null)
        {
            return error;
        }

        if (root.TryGetProperty("stop"u8, out var stop) && stop.ValueKind != JsonValueKind.Null)
        {
            json.WriteStartArray("stop_sequences"u8);
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
                        return "'stop' must be a string or an array of strings.";
                    }

                    s.WriteTo(json);
                }
            }
            else
            {
                return "'stop' must be a string or an array of strings.";
            }

            json.WriteEndArray();
        }

        return WriteResponseFormat(json, root);
    }

    /// <summary>json_object → <c>{"type":"json_object"}</c>; json_schema → the same with <c>json_schema</c> (Cohere takes JSON Schema as is).</summary>
    private static string? WriteResponseFormat(Utf8JsonWriter json, JsonElement root)
    {
        if (!root.TryGetProperty("response_format"u8, out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type"u8, out var type) || type.ValueEquals("text"u8))
        {
            return null;
        }

        bool schema = type.ValueEquals("json_schema"u8);
        if (!schema && !type.ValueEquals("json_object"u8))
        {
            return "'response_format.type' must be text, json_object or json_schema.";
        }

        json.WriteStartObject("response_format"u8);
        json.WriteString("type"u8, "json_object"u8);
        if (schema && format.TryGetProperty("json_schema"u8, out var wrapper) && wrapper.ValueKind == JsonValueKind.Object
            && wrapper.TryGetProperty("schema"u8, out var s) && s.ValueKind == JsonValueKind.Object)
        {
            json.WritePropertyName("json_schema"u8);
            s.WriteTo(json);
        }

        json.WriteEndObject();
        return null;
    }

    private static string? CopyNumber(Utf8JsonWriter json, JsonElement root, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        if (!root.TryGetProperty(from, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return $"'{Encoding.UTF8.GetString(from)}' must be a number.";
        }

        json.WritePropertyName(to);
        value.WriteTo(json);
        return null;
    }
}
