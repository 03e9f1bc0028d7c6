using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>Writes the Messages request for an OpenAI chat request (see <see cref="AnthropicTranslator"/> for what maps where).</summary>
/// <remarks>
/// Returns null, or the 400 message for what cannot be expressed; after a message the body holds a partial document and
/// is not sent. The caller's request is already a <see cref="JsonDocument"/>, so this reads the DOM and copies subtrees
/// (schemas, tool inputs) with <see cref="JsonElement.WriteTo"/> rather than re-parsing.
/// </remarks>
internal static partial class AnthropicRequestWriter
{
    /// <summary>
    /// <c>max_tokens</c> when the caller gives none: Anthropic requires the field, OpenAI does not. 4096 is the highest
    /// output limit every current Claude model accepts, so a default never turns into Anthropic's 400.
    /// </summary>
    public const int DefaultMaxTokens = 4096;

    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private enum ResponseFormat : byte
    {
        Text,
        JsonObject,
        JsonSchema,
    }

    public static string? Write(in CompatChatRequest request, IBufferWriter<byte> body)
    {
        JsonElement root = request.Root;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "The request body must be a JSON object.";
        }

        if (!root.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return "'messages' must be an array.";
        }

        string? error = CheckUnsupported(root);
        if (error is not null)
        {
            return error;
        }

        error = ReadResponseFormat(root, out ResponseFormat format, out JsonElement schema);
        if (error is not null)
        {
            return error;
        }

        error = ReadMaxTokens(root, out long maxTokens);
        if (error is not null)
        {
            return error;
        }

        using var json = new Utf8JsonWriter(body, Options);
        json.WriteStartObject();
        json.WriteString("model"u8, request.Model);
        json.WriteNumber("max_tokens"u8, maxTokens);
        error = WriteSystem(json, messages, format == ResponseFormat.JsonObject) ?? WriteMessages(json, messages);
        if (error is not null)
        {
            return error;
        }

        error = WriteStop(json, root);
        CopyNumber(json, root, "temperature"u8, "temperature");
        CopyNumber(json, root, "top_p"u8, "top_p");
        CopyNumber(json, root, "top_k"u8, "top_k");
        error ??= WriteTools(json, root, format == ResponseFormat.JsonSchema ? schema : default);
        if (error is not null)
        {
            return error;
        }

        if (root.TryGetProperty("thinking", out JsonElement thinking) && thinking.ValueKind == JsonValueKind.Object)
        {
            json.WritePropertyName("thinking"u8);
            thinking.WriteTo(json);
        }

        if (root.TryGetProperty("user", out JsonElement user) && user.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject("metadata"u8);
            json.WriteString("user_id"u8, user.GetString());
            json.WriteEndObject();
        }

        if (request.Stream)
        {
            json.WriteBoolean("stream"u8, true);
        }

        json.WriteEndObject();
        return null;
    }

    private static string? CheckUnsupported(JsonElement root)
    {
        if (root.TryGetProperty("n", out JsonElement n) && n.ValueKind == JsonValueKind.Number && (!n.TryGetInt32(out int count) || count != 1))
        {
            return "Anthropic returns one choice per request: 'n' must be 1.";
        }

        if ((root.TryGetProperty("logprobs", out JsonElement logprobs) && logprobs.ValueKind == JsonValueKind.True)
            || (root.TryGetProperty("top_logprobs", out JsonElement top) && top.ValueKind == JsonValueKind.Number))
        {
            return "Anthropic does not return log probabilities: remove 'logprobs' and 'top_logprobs'.";
        }

        if (root.TryGetProperty("logit_bias", out JsonElement bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().MoveNext())
        {
            return "Anthropic has no 'logit_bias'.";
        }

        if (root.TryGetProperty("audio", out JsonElement audio) && audio.ValueKind == JsonValueKind.Object)
        {
            return "Anthropic does not produce audio: remove 'audio'.";
        }

        if (root.TryGetProperty("modalities", out JsonElement modalities) && modalities.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement modality in modalities.EnumerateArray())
            {
                if (!modality.ValueEquals("text"u8))
                {
                    return "Anthropic answers with text only: 'modalities' must be [\"text\"].";
                }
            }
        }

        if (root.TryGetProperty("functions", out _) || root.TryGetProperty("function_call", out _))
        {
            return "The legacy 'functions' and 'function_call' fields are not translated: use 'tools' and 'tool_choice'.";
        }

        return null;
    }

    private static string? ReadResponseFormat(JsonElement root, out ResponseFormat format, out JsonElement schema)
    {
        format = ResponseFormat.Text;
        schema = default;
        if (!root.TryGetProperty("response_format", out JsonElement responseFormat) || responseFormat.ValueKind != JsonValueKind.Object
            || !responseFormat.TryGetProperty("type", out JsonElement type) || type.ValueEquals("text"u8))
        {
            return null;
        }

        if (type.ValueEquals("json_object"u8))
        {
            format = ResponseFormat.JsonObject;
            return null;
        }

        if (!type.ValueEquals("json_schema"u8))
        {
            return "'response_format.type' must be text, json_object or json_schema.";
        }

        if (!responseFormat.TryGetProperty("json_schema", out schema) || schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("schema", out JsonElement inner) || inner.ValueKind != JsonValueKind.Object)
        {
            return "'response_format.json_schema.schema' must be a JSON Schema object.";
        }

        format = ResponseFormat.JsonSchema;
        return null;
    }

    private static string? ReadMaxTokens(JsonElement root, out long maxTokens)
    {
        maxTokens = DefaultMaxTokens;
        if (!root.TryGetProperty("max_completion_tokens"u8, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            if (!root.TryGetProperty("max_tokens"u8, out value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out maxTokens) || maxTokens < 1)
        {
            return "'max_tokens' and 'max_completion_tokens' must be positive integers.";
        }

        return null;
    }

    private static string? WriteStop(Utf8JsonWriter json, JsonElement root)
    {
        if (!root.TryGetProperty("stop", out JsonElement stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            json.WriteStartArray("stop_sequences"u8);
            stop.WriteTo(json);
            json.WriteEndArray();
            return null;
        }

        if (stop.ValueKind != JsonValueKind.Array)
        {
            return "'stop' must be a string or an array of strings.";
        }

        json.WriteStartArray("stop_sequences"u8);
        foreach (JsonElement sequence in stop.EnumerateArray())
        {
            if (sequence.ValueKind != JsonValueKind.String)
            {
                return "'stop' must be a string or an array of strings.";
            }

            sequence.WriteTo(json);
        }

        json.WriteEndArray();
        return null;
    }

    private static void CopyNumber(Utf8JsonWriter json, JsonElement root, ReadOnlySpan<byte> name, string property)
    {
        if (root.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.Number)
        {
            json.WritePropertyName(name);
            value.WriteTo(json);
        }
    }
}
