using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary><c>system</c> and <c>messages</c>: OpenAI's turns regrouped into Anthropic's alternating user/assistant turns.</summary>
internal static partial class AnthropicRequestWriter
{
    /// <summary>What <c>json_object</c> adds to <c>system</c>: the base Messages API has no JSON mode to switch on.</summary>
    internal const string JsonObjectInstruction =
        "Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.";

    private enum Turn : byte
    {
        None,
        User,
        Assistant,
    }

    private static string? WriteSystem(Utf8JsonWriter json, JsonElement messages, bool jsonObject)
    {
        int count = 0;
        JsonElement only = default;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (IsSystem(message))
            {
                count++;
                message.TryGetProperty("content"u8, out only);
            }
        }

        if (count == 0 && !jsonObject)
        {
            return null;
        }

        if (count == 1 && !jsonObject && only.ValueKind == JsonValueKind.String)
        {
            json.WritePropertyName("system"u8);
            only.WriteTo(json);
            return null;
        }

        // Several system messages (or one plus the JSON instruction) stay separate text blocks, in order.
        json.WriteStartArray("system"u8);
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (!IsSystem(message) || !message.TryGetProperty("content"u8, out JsonElement content))
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                if (!content.ValueEquals(""u8))
                {
                    WriteTextBlock(json, content, default);
                }

                continue;
            }

            if (content.ValueKind != JsonValueKind.Array)
            {
                return "A system message's 'content' must be a string or an array of text parts.";
            }

            foreach (JsonElement part in content.EnumerateArray())
            {
                if (!IsPart(part, "text"u8, out JsonElement text))
                {
                    return "A system message may hold only text parts.";
                }

                if (!text.ValueEquals(""u8))
                {
                    WriteTextBlock(json, text, part);
                }
            }
        }

        if (jsonObject)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, JsonObjectInstruction);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        return null;
    }

    private static string? WriteMessages(Utf8JsonWriter json, JsonElement messages)
    {
        json.WriteStartArray("messages"u8);
        Turn open = Turn.None;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role"u8, out JsonElement role))
            {
                return "Each message needs a 'role'.";
            }

            message.TryGetProperty("content"u8, out JsonElement content);
            string? error;
            if (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8))
            {
                continue; // written as the top-level system
            }
            else if (role.ValueEquals("user"u8))
            {
                if (!HasContentBlocks(content))
                {
                    continue; // Anthropic refuses empty text blocks and empty turns
                }

                Open(json, ref open, Turn.User);
                error = WriteContent(json, content, allowImages: true);
            }
            else if (role.ValueEquals("assistant"u8))
            {
                bool hasCalls = message.TryGetProperty("tool_calls"u8, out JsonElement calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
                if (!hasCalls && !HasContentBlocks(content))
                {
                    continue;
                }

                Open(json, ref open, Turn.Assistant);
                error = WriteContent(json, content, allowImages: false);
                if (error is null && hasCalls)
                {
                    error = WriteToolUses(json, calls);
                }
            }
            else if (role.ValueEquals("tool"u8))
            {
                Open(json, ref open, Turn.User);
                error = WriteToolResult(json, message, content);
            }
            else
            {
                return role.ValueEquals("function"u8)
                    ? "'role: function' (legacy function calling) is not translated: use tool messages."
                    : "A message's 'role' must be system, developer, user, assistant or tool.";
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (open != Turn.None)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        return null;
    }

    /// <summary>Starts a turn for <paramref name="role"/> unless that role's turn is the open one: Anthropic requires alternation.</summary>
    private static void Open(Utf8JsonWriter json, ref Turn open, Turn role)
    {
        if (open == role)
        {
            return;
        }

        if (open != Turn.None)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartObject();
        json.WriteString("role"u8, role == Turn.User ? "user"u8 : "assistant"u8);
        json.WriteStartArray("content"u8);
        open = role;
    }

    private static string? WriteContent(Utf8JsonWriter json, JsonElement content, bool allowImages)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.ValueEquals(""u8))
            {
                return null;
            }

            WriteTextBlock(json, content, default);
            return null;
        }

        if (content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "A message's 'content' must be a string or an array of content parts.";
        }

        foreach (JsonElement part in content.EnumerateArray())
        {
            if (IsPart(part, "text"u8, out JsonElement text) || IsPart(part, "refusal"u8, out text))
            {
                if (!text.ValueEquals(""u8))
                {
                    WriteTextBlock(json, text, part);
                }

                continue;
            }

            if (allowImages && IsPart(part, "image_url"u8, out JsonElement image))
            {
                string? error = AnthropicImage.Write(json, image);
                if (error is not null)
                {
                    return error;
                }

                continue;
            }

            return allowImages
                ? "Anthropic accepts text and image_url content parts here; input_audio and file parts are not translated."
                : "An assistant message's content may hold only text (and refusal) parts.";
        }

        return null;
    }

    private static string? WriteToolUses(Utf8JsonWriter json, JsonElement calls)
    {
        foreach (JsonElement call in calls.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("id"u8, out JsonElement id) || id.ValueKind != JsonValueKind.String
                || !call.TryGetProperty("function"u8, out JsonElement function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name"u8, out JsonElement name) || name.ValueKind != JsonValueKind.String)
            {
                return "Each assistant tool call needs 'id' and 'function.name'.";
            }

            json.WriteStartObject();
            json.WriteString("type"u8, "tool_use"u8);
            json.WritePropertyName("id"u8);
            id.WriteTo(json);
            json.WritePropertyName("name"u8);
            name.WriteTo(json);
            json.WritePropertyName("input"u8);
            string? error = WriteArguments(json, function);
            if (error is not null)
            {
                return error;
            }

            json.WriteEndObject();
        }

        return null;
    }

    /// <summary>OpenAI sends the arguments as a JSON string; Anthropic wants the object itself.</summary>
    private static string? WriteArguments(Utf8JsonWriter json, JsonElement function)
    {
        string? arguments = function.TryGetProperty("arguments"u8, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            json.WriteStartObject();
            json.WriteEndObject(); // a tool called with no arguments
            return null;
        }

        try
        {
            using JsonDocument parsed = JsonDocument.Parse(arguments);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "A tool call's 'function.arguments' must be a JSON object.";
            }

            parsed.RootElement.WriteTo(json);
            return null;
        }
        catch (JsonException)
        {
            return "A tool call's 'function.arguments' is not valid JSON.";
        }
    }

    private static string? WriteToolResult(Utf8JsonWriter json, JsonElement message, JsonElement content)
    {
        if (!message.TryGetProperty("tool_call_id"u8, out JsonElement id) || id.ValueKind != JsonValueKind.String)
        {
            return "A tool message needs 'tool_call_id'.";
        }

        json.WriteStartObject();
        json.WriteString("type"u8, "tool_result"u8);
        json.WritePropertyName("tool_use_id"u8);
        id.WriteTo(json);
        string? error = null;
        if (content.ValueKind == JsonValueKind.String)
        {
            if (!content.ValueEquals(""u8))
            {
                json.WritePropertyName("content"u8);
                content.WriteTo(json);
            }
        }
        else if (HasContentBlocks(content))
        {
            json.WriteStartArray("content"u8);
            error = WriteContent(json, content, allowImages: true);
            json.WriteEndArray();
        }

        json.WriteEndObject();
        return error;
    }

    private static void WriteTextBlock(Utf8JsonWriter json, JsonElement text, JsonElement part)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "text"u8);
        json.WritePropertyName("text"u8);
        text.WriteTo(json);
        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("cache_control"u8, out JsonElement cacheControl) && cacheControl.ValueKind == JsonValueKind.Object)
        {
            // Not OpenAI, but what Anthropic-aware callers put on a part to mark a prompt-cache breakpoint.
            json.WritePropertyName("cache_control"u8);
            cacheControl.WriteTo(json);
        }

        json.WriteEndObject();
    }

    /// <summary>A part <c>{"type": <paramref name="type"/>, "<paramref name="type"/>": value}</c> (OpenAI names the payload after the type).</summary>
    private static bool IsPart(JsonElement part, ReadOnlySpan<byte> type, out JsonElement value)
    {
        value = default;
        return part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type"u8, out JsonElement t) && t.ValueEquals(type)
            && part.TryGetProperty(type, out value);
    }

    private static bool HasContentBlocks(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return !content.ValueEquals(""u8);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return content.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null); // a bad shape, reported by WriteContent
        }

        foreach (JsonElement part in content.EnumerateArray())
        {
            if (!(IsPart(part, "text"u8, out JsonElement text) && text.ValueEquals(""u8)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSystem(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role"u8, out JsonElement role)
        && (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8));
}
