using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Bedrock;

/// <summary>Writes a Converse request body from an OpenAI chat-completions request (see <see cref="BedrockConverseTranslator"/> for what maps where).</summary>
/// <remarks>
/// One pass over <c>messages</c> for <c>system</c>, one for the turns. A turn opens lazily at its first content block, so a
/// message with nothing Converse can carry (an empty string) leaves no empty turn, and a turn stays open while the next
/// message maps to the same Converse role: Converse wants user and assistant to alternate, and OpenAI's <c>tool</c>
/// messages become blocks of a user turn.
/// </remarks>
internal static partial class BedrockRequestWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the body; returns null, or the 400 message for what cannot be expressed.</summary>
    public static string? Write(in CompatChatRequest request, IBufferWriter<byte> body)
    {
        var root = request.Root;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return "messages must be an array of chat messages.";
        }

        string? error = ReadToolPlan(root, out var plan);
        if (error is not null)
        {
            return error;
        }

        using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        error = WriteSystem(json, messages);
        bool hasToolBlocks = false;
        if (error is not null || (error = WriteTurns(json, messages, out hasToolBlocks)) is not null)
        {
            return error;
        }

        error = WriteInferenceConfig(json, root) ?? WriteToolConfig(json, root, plan, hasToolBlocks) ?? WriteAdditionalFields(json, root, request.Model);
        if (error is not null)
        {
            return error;
        }

        json.WriteEndObject();
        return null;
    }

    private static string? WriteSystem(Utf8JsonWriter json, JsonElement messages)
    {
        bool open = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (!message.TryGetProperty("role"u8, out var role) || !(role.ValueEquals("system"u8) || role.ValueEquals("developer"u8)))
            {
                continue;
            }

            if (!message.TryGetProperty("content"u8, out var content))
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                if (content.IsEmptyString())
                {
                    continue;
                }

                OpenSystem(json, ref open);
                WriteTextBlock(json, content);
                continue;
            }

            if (content.ValueKind != JsonValueKind.Array)
            {
                return "A system message's content must be a string or an array of text parts.";
            }

            foreach (var part in content.EnumerateArray())
            {
                if (!IsType(part, "text"u8) || !part.TryGetProperty("text"u8, out var text) || text.ValueKind != JsonValueKind.String)
                {
                    return "A system message may hold only text parts on aws-bedrock (Converse's system prompt is text).";
                }

                if (!text.IsEmptyString())
                {
                    OpenSystem(json, ref open);
                    WriteTextBlock(json, text);
                }
            }
        }

        if (open)
        {
            json.WriteEndArray();
        }

        return null;

        static void OpenSystem(Utf8JsonWriter json, ref bool open)
        {
            if (!open)
            {
                json.WriteStartArray("system"u8);
                open = true;
            }
        }
    }

    private static string? WriteTurns(Utf8JsonWriter json, JsonElement messages, out bool hasToolBlocks)
    {
        hasToolBlocks = false;
        var turn = new Turn(json);
        json.WriteStartArray("messages"u8);
        int index = -1;
        foreach (var message in messages.EnumerateArray())
        {
            index++;
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role"u8, out var role) || role.ValueKind != JsonValueKind.String)
            {
                return $"messages[{index}] needs a role.";
            }

            message.TryGetProperty("content"u8, out var content);
            string? error;
            if (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8))
            {
                continue;
            }
            else if (role.ValueEquals("user"u8))
            {
                error = WriteUserContent(ref turn, content, index);
            }
            else if (role.ValueEquals("assistant"u8))
            {
                error = WriteAssistant(ref turn, message, content, index, ref hasToolBlocks);
            }
            else if (role.ValueEquals("tool"u8))
            {
                hasToolBlocks = true;
                error = WriteToolResult(ref turn, message, content, index);
            }
            else
            {
                error = $"messages[{index}] has role '{role.GetString()}', which aws-bedrock cannot express (system, developer, user, assistant, tool).";
            }

            if (error is not null)
            {
                return error;
            }
        }

        turn.Close();
        json.WriteEndArray();
        return null;
    }

    private static string? WriteUserContent(ref Turn turn, JsonElement content, int index)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            if (!content.IsEmptyString())
            {
                turn.Block("user");
                WriteTextBlock(turn.Json, content);
            }

            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"messages[{index}].content must be a string or an array of content parts.";
        }

        foreach (var part in content.EnumerateArray())
        {
            if (IsType(part, "text"u8))
            {
                if (part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String && !text.IsEmptyString())
                {
                    turn.Block("user");
                    WriteTextBlock(turn.Json, text);
                }
            }
            else if (IsType(part, "image_url"u8))
            {
                string? error = WriteImage(ref turn, part, index);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                return $"messages[{index}] has a content part of type '{TypeOf(part)}', which aws-bedrock's Converse API cannot take here (text, image_url).";
            }
        }

        return null;
    }

    /// <summary><c>image_url: {url: "data:image/png;base64,…"}</c> → <c>{image: {format: "png", source: {bytes: "…"}}}</c>.</summary>
    private static string? WriteImage(ref Turn turn, JsonElement part, int index)
    {
        if (!part.TryGetProperty("image_url"u8, out var image) || !image.TryGetProperty("url"u8, out var urlElement)
            || urlElement.ValueKind != JsonValueKind.String)
        {
            return $"messages[{index}] has an image_url part without a url.";
        }

        string url = urlElement.GetString()!;
        var kind = DataUrl.Parse(url, out var mediaType, out var data);
        if (kind == DataUrlKind.NotDataUrl)
        {
            return $"messages[{index}] has an image URL that is not a data: URL. Bedrock Converse takes image bytes only, never a link: send the image as data:image/<png|jpeg|gif|webp>;base64,….";
        }

        if (kind != DataUrlKind.Base64)
        {
            return $"messages[{index}] has a data: image URL that is not base64 (expected data:image/<format>;base64,…).";
        }

        int parameters = mediaType.IndexOf(';'); // image/png;name=… is still png
        mediaType = parameters < 0 ? mediaType : mediaType[..parameters];
        string? format = mediaType switch
        {
            _ when mediaType.Equals("image/png", StringComparison.OrdinalIgnoreCase) => "png",
            _ when mediaType.Equals("image/jpeg", StringComparison.OrdinalIgnoreCase) => "jpeg",
            _ when mediaType.Equals("image/jpg", StringComparison.OrdinalIgnoreCase) => "jpeg",
            _ when mediaType.Equals("image/gif", StringComparison.OrdinalIgnoreCase) => "gif",
            _ when mediaType.Equals("image/webp", StringComparison.OrdinalIgnoreCase) => "webp",
            _ => null,
        };
        if (format is null)
        {
            return $"messages[{index}] has an image of type '{mediaType}'; Bedrock Converse takes png, jpeg, gif and webp.";
        }

        var json = turn.Json;
        turn.Block("user");
        json.WriteStartObject();
        json.WriteStartObject("image"u8);
        json.WriteString("format"u8, format);
        json.WriteStartObject("source"u8);
        json.WriteString("bytes"u8, data);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    private static string? WriteAssistant(ref Turn turn, JsonElement message, JsonElement content, int index, ref bool hasToolBlocks)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            if (!content.IsEmptyString())
            {
                turn.Block("assistant");
                WriteTextBlock(turn.Json, content);
            }
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                var key = IsType(part, "text"u8) ? "text"u8 : IsType(part, "refusal"u8) ? "refusal"u8 : default;
                if (key.IsEmpty)
                {
                    return $"messages[{index}] (assistant) has a content part of type '{TypeOf(part)}'; aws-bedrock takes text and refusal parts there.";
                }

                if (part.TryGetProperty(key, out var text) && text.ValueKind == JsonValueKind.String && !text.IsEmptyString())
                {
                    turn.Block("assistant");
                    WriteTextBlock(turn.Json, text);
                }
            }
        }
        else if (content.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return $"messages[{index}].content must be a string, an array of parts or null.";
        }

        if (!message.TryGetProperty("tool_calls"u8, out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var call in calls.EnumerateArray())
        {
            if (!call.TryGetProperty("id"u8, out var id) || id.ValueKind != JsonValueKind.String
                || !call.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                return $"messages[{index}].tool_calls needs an id and a function name on every call.";
            }

            string arguments = function.TryGetProperty("arguments"u8, out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
            hasToolBlocks = true;
            var json = turn.Json;
            turn.Block("assistant");
            json.WriteStartObject();
            json.WriteStartObject("toolUse"u8);
            json.WritePropertyName("toolUseId"u8);
            id.WriteTo(json);
            json.WritePropertyName("name"u8);
            name.WriteTo(json);
            json.WritePropertyName("input"u8);
            if (string.IsNullOrWhiteSpace(arguments))
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
            else if (!IsJsonObject(arguments))
            {
                return $"messages[{index}].tool_calls arguments must be a JSON object; Converse takes a tool's input as a JSON document.";
            }
            else
            {
                json.WriteRawValue(arguments, skipInputValidation: true);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return null;
    }

    /// <summary><c>{role: "tool", tool_call_id, content}</c> → a user turn's <c>{toolResult: {toolUseId, content: [{text}]}}</c>.</summary>
    private static string? WriteToolResult(ref Turn turn, JsonElement message, JsonElement content, int index)
    {
        if (!message.TryGetProperty("tool_call_id"u8, out var id) || id.ValueKind != JsonValueKind.String)
        {
            return $"messages[{index}] (tool) needs a tool_call_id.";
        }

        var json = turn.Json;
        turn.Block("user");
        json.WriteStartObject();
        json.WriteStartObject("toolResult"u8);
        json.WritePropertyName("toolUseId"u8);
        id.WriteTo(json);
        json.WriteStartArray("content"u8);
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteTextBlock(json, content);
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (!IsType(part, "text"u8) || !part.TryGetProperty("text"u8, out var text) || text.ValueKind != JsonValueKind.String)
                {
                    return $"messages[{index}] (tool) may hold only text parts.";
                }

                WriteTextBlock(json, text);
            }
        }
        else
        {
            return $"messages[{index}] (tool) needs its content as a string or text parts.";
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    /// <summary><c>{"text": …}</c>, copying the caller's string as it came (escapes included).</summary>
    private static void WriteTextBlock(Utf8JsonWriter json, JsonElement text)
    {
        json.WriteStartObject();
        json.WritePropertyName("text"u8);
        text.WriteTo(json);
        json.WriteEndObject();
    }

    private static bool IsType(JsonElement part, ReadOnlySpan<byte> type)
        => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String && t.ValueEquals(type);

    private static string TypeOf(JsonElement part)
        => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : part.ValueKind.ToString();

    private static bool IsJsonObject(string text)
    {
        var span = text.AsSpan().TrimStart();
        if (span.IsEmpty || span[0] != '{')
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsEmptyString(this JsonElement text) => text.ValueEquals(ReadOnlySpan<byte>.Empty);

    /// <summary>The Converse turn being written: opened at its first block, closed when the role changes or the messages end.</summary>
    private struct Turn(Utf8JsonWriter json)
    {
        private string? _role;

        public readonly Utf8JsonWriter Json => json;

        public void Block(string role)
        {
            if (_role == role)
            {
                return;
            }

            Close();
            json.WriteStartObject();
            json.WriteString("role"u8, role);
            json.WriteStartArray("content"u8);
            _role = role;
        }

        public void Close()
        {
            if (_role is not null)
            {
                json.WriteEndArray();
                json.WriteEndObject();
                _role = null;
            }
        }
    }
}
