using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>
/// Writes a <c>GenerateContentRequest</c> from an OpenAI chat request: <c>systemInstruction</c>, <c>contents</c>,
/// <c>tools</c>, <c>toolConfig</c> and <c>generationConfig</c>.
/// </summary>
/// <remarks>
/// Messages become contents in order: <c>user</c> → role <c>user</c>, <c>assistant</c> → role <c>model</c> (text, then one
/// <c>functionCall</c> part per tool call), a run of <c>tool</c> messages → one <c>user</c> content of
/// <c>functionResponse</c> parts (Gemini wants a turn's parallel results together). System and developer messages,
/// wherever they stand, become the parts of <c>systemInstruction</c>, in order. Each method returns null or the
/// caller-facing reason the request cannot be expressed; on a reason the body written so far must be discarded.
/// </remarks>
internal static partial class GeminiRequestWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Write(in CompatChatRequest request, IBufferWriter<byte> body, out string upstreamPath)
    {
        upstreamPath = "";
        JsonElement root = request.Root;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "The request body must be a JSON object.";
        }

        if (!root.TryGetProperty("messages"u8, out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return "'messages' must be a non-empty array.";
        }

        string? error = RejectUnsupported(root) ?? ModelPath(request.Model, request.Stream, out upstreamPath);
        if (error is not null)
        {
            return error;
        }

        using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        error = WriteSystemInstruction(json, messages)
            ?? WriteContents(json, messages, request.Model)
            ?? WriteTools(json, root)
            ?? WriteGenerationConfig(json, root);
        if (error is null)
        {
            json.WriteEndObject();
        }

        return error;
    }

    /// <summary><c>v1beta/models/{model}:generateContent</c>, or <c>:streamGenerateContent?alt=sse</c>; <c>tunedModels/…</c> keep their collection.</summary>
    private static string? ModelPath(string model, bool stream, out string path)
    {
        path = "";
        string name = model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
        bool tuned = name.StartsWith("tunedModels/", StringComparison.Ordinal);
        ReadOnlySpan<char> id = tuned ? name.AsSpan("tunedModels/".Length) : name;
        if (id.IsEmpty || id.IndexOfAny("/?#: %") >= 0)
        {
            return $"'{model}' is not a Gemini model id.";
        }

        string verb = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        path = tuned ? $"v1beta/{name}{verb}" : $"v1beta/models/{name}{verb}";
        return null;
    }

    private static string? WriteSystemInstruction(Utf8JsonWriter json, JsonElement messages)
    {
        bool open = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (!IsRole(message, "system"u8) && !IsRole(message, "developer"u8))
            {
                continue;
            }

            if (!open)
            {
                open = true;
                json.WriteStartObject("systemInstruction"u8);
                json.WriteStartArray("parts"u8);
            }

            string? error = WriteTextParts(json, message, "system");
            if (error is not null)
            {
                return error;
            }
        }

        if (open)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return null;
    }

    private static string? WriteContents(Utf8JsonWriter json, JsonElement messages, string model)
    {
        json.WriteStartArray("contents"u8);
        bool open = false, lastWasTool = false;
        int index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            int at = index++;
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role"u8, out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
            {
                return $"messages[{at}] needs a 'role'.";
            }

            if (IsRole(message, "system"u8) || IsRole(message, "developer"u8))
            {
                continue;
            }

            bool tool = IsRole(message, "tool"u8);
            bool assistant = IsRole(message, "assistant"u8);
            if (!tool && !assistant && !IsRole(message, "user"u8))
            {
                return $"messages[{at}] has role '{roleElement.GetString()}', which /compat cannot send to Gemini (use system, user, assistant or tool).";
            }

            if (assistant && IsEmptyAssistant(message))
            {
                continue; // Gemini rejects a content without parts; an assistant turn that said nothing adds nothing.
            }

            if (!(tool && lastWasTool))
            {
                if (open)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                open = true;
                json.WriteStartObject();
                json.WriteString("role"u8, assistant ? "model"u8 : "user"u8);
                json.WriteStartArray("parts"u8);
            }

            lastWasTool = tool;
            string? error = tool ? WriteFunctionResponse(json, messages, message, at)
                : assistant ? WriteAssistantParts(json, message, at, model)
                : WriteUserParts(json, message, at);
            if (error is not null)
            {
                return error;
            }
        }

        if (!open)
        {
            return "Gemini needs at least one user, assistant or tool message besides the system prompt.";
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        return null;
    }

    private static string? WriteAssistantParts(Utf8JsonWriter json, JsonElement message, int at, string model)
    {
        string? error = WriteTextParts(json, message, "assistant", skipEmpty: true);
        if (error is not null || !message.TryGetProperty("tool_calls"u8, out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return error;
        }

        // Gemini 3 validates the signature of the first call of each step; Gemini 2.x ignores a sentinel it does not need.
        bool first = true;
        bool validates = model.Contains("gemini-3", StringComparison.Ordinal);
        foreach (var call in calls.EnumerateArray())
        {
            if (!call.TryGetProperty("function"u8, out var function) || !function.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
            {
                return $"messages[{at}].tool_calls needs 'function.name' on every call.";
            }

            json.WriteStartObject();
            json.WriteStartObject("functionCall"u8);
            json.WriteString("name"u8, name.GetString());
            json.WritePropertyName("args"u8);
            error = WriteArguments(json, function, at);
            if (error is not null)
            {
                return error;
            }

            json.WriteEndObject();
            string? signature = call.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String
                ? GeminiToolCallIds.Signature(id.GetString()!)
                : null;
            signature ??= first && validates ? GeminiToolCallIds.SkipValidator : null;
            if (signature is not null)
            {
                json.WriteString("thoughtSignature"u8, signature);
            }

            json.WriteEndObject();
            first = false;
        }

        return null;
    }

    /// <summary>OpenAI sends arguments as a JSON string; Gemini wants the object itself (<c>""</c> means no arguments).</summary>
    private static string? WriteArguments(Utf8JsonWriter json, JsonElement function, int at)
    {
        if (!function.TryGetProperty("arguments"u8, out var arguments) || arguments.ValueKind == JsonValueKind.Null
            || (arguments.ValueKind == JsonValueKind.String && arguments.ValueEquals(""u8)))
        {
            json.WriteStartObject();
            json.WriteEndObject();
            return null;
        }

        if (arguments.ValueKind == JsonValueKind.Object)
        {
            arguments.WriteTo(json);
            return null;
        }

        if (arguments.ValueKind == JsonValueKind.String && TryParseObject(arguments.GetString()!, out var parsed))
        {
            using (parsed)
            {
                parsed.RootElement.WriteTo(json);
            }

            return null;
        }

        return $"messages[{at}].tool_calls[].function.arguments must be a JSON object (as a string); Gemini takes arguments as an object.";
    }

    private static string? WriteFunctionResponse(Utf8JsonWriter json, JsonElement messages, JsonElement message, int at)
    {
        if (!message.TryGetProperty("tool_call_id"u8, out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            return $"messages[{at}] (role tool) needs 'tool_call_id'.";
        }

        string id = idElement.GetString()!;
        string? name = FindCallName(messages, at, id)
            ?? (message.TryGetProperty("name"u8, out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null);
        if (name is null)
        {
            return $"messages[{at}] answers tool call '{id}', but no earlier assistant message made that call; Gemini needs the function's name.";
        }

        json.WriteStartObject();
        json.WriteStartObject("functionResponse"u8);
        json.WriteString("name"u8, name);
        json.WriteStartObject("response"u8);
        json.WritePropertyName("content"u8);
        string? error = WriteJoinedText(json, message, at);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        return error;
    }

    /// <summary>The name of the call <paramref name="id"/> in the nearest assistant message before <paramref name="before"/>.</summary>
    private static string? FindCallName(JsonElement messages, int before, string id)
    {
        for (int i = before - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (!IsRole(message, "assistant"u8) || !message.TryGetProperty("tool_calls"u8, out var calls) || calls.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var call in calls.EnumerateArray())
            {
                if (call.TryGetProperty("id"u8, out var callId) && callId.ValueKind == JsonValueKind.String && callId.ValueEquals(id)
                    && call.TryGetProperty("function"u8, out var function) && function.TryGetProperty("name"u8, out var name)
                    && name.ValueKind == JsonValueKind.String)
                {
                    return name.GetString();
                }
            }
        }

        return null;
    }

    private static bool IsEmptyAssistant(JsonElement message)
    {
        bool hasCalls = message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
        if (hasCalls || !message.TryGetProperty("content"u8, out var content))
        {
            return !hasCalls;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.ValueEquals(""u8),
            JsonValueKind.Array => content.GetArrayLength() == 0,
            _ => true,
        };
    }

    internal static bool IsRole(JsonElement message, ReadOnlySpan<byte> role) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role"u8, out var r) && r.ValueKind == JsonValueKind.String && r.ValueEquals(role);

    internal static bool TryParseObject(string text, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // A caller's malformed arguments string: reported as a 400 by the caller of this method.
        }

        document = null!;
        return false;
    }
}
