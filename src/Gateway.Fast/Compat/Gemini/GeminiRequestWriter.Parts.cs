using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Compat.Gemini;

/// <summary>Message content → Gemini parts: text, <c>inlineData</c> (data: URLs, audio) and <c>fileData</c> (http URLs).</summary>
internal static partial class GeminiRequestWriter
{
    /// <summary>Text-only content (system, assistant): a string or an array of <c>text</c> (and <c>refusal</c>) parts.</summary>
    private static string? WriteTextParts(Utf8JsonWriter json, JsonElement message, string role, bool skipEmpty = false)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            if (!skipEmpty || !content.ValueEquals(""u8))
            {
                WriteText(json, content);
            }

            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"A {role} message's 'content' must be a string or an array of parts.";
        }

        foreach (var part in content.EnumerateArray())
        {
            if (TryGetText(part, out var text))
            {
                WriteText(json, text);
            }
            else
            {
                return $"A {role} message can carry only text parts through /compat to Gemini.";
            }
        }

        return null;
    }

    private static string? WriteUserParts(Utf8JsonWriter json, JsonElement message, int at)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject();
            json.WriteString("text"u8, content.ValueKind == JsonValueKind.String ? content.GetString() : "");
            json.WriteEndObject();
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"messages[{at}].content must be a string or an array of parts.";
        }

        foreach (var part in content.EnumerateArray())
        {
            string? error = WriteUserPart(json, part, at);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? WriteUserPart(Utf8JsonWriter json, JsonElement part, int at)
    {
        if (TryGetText(part, out var text))
        {
            WriteText(json, text);
            return null;
        }

        if (!part.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return $"messages[{at}].content[] parts need a 'type'.";
        }

        if (type.ValueEquals("image_url"u8) && part.TryGetProperty("image_url"u8, out var image))
        {
            var url = image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url"u8, out var u) ? u : image;
            return url.ValueKind == JsonValueKind.String ? WriteMedia(json, url.GetString()!, at) : $"messages[{at}]: image_url needs a 'url'.";
        }

        if (type.ValueEquals("input_audio"u8) && part.TryGetProperty("input_audio"u8, out var audio)
            && audio.TryGetProperty("data"u8, out var data) && data.ValueKind == JsonValueKind.String
            && audio.TryGetProperty("format"u8, out var format) && format.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject();
            json.WriteStartObject("inlineData"u8);
            json.WriteString("mimeType"u8, "audio/" + format.GetString());
            json.WriteString("data"u8, data.GetString());
            json.WriteEndObject();
            json.WriteEndObject();
            return null;
        }

        if (type.ValueEquals("file"u8) && part.TryGetProperty("file"u8, out var file)
            && file.TryGetProperty("file_data"u8, out var fileData) && fileData.ValueKind == JsonValueKind.String)
        {
            return WriteMedia(json, fileData.GetString()!, at);
        }

        return $"messages[{at}]: content part type '{type.GetString()}' cannot be sent to Gemini through /compat (text, image_url, input_audio and file with file_data can).";
    }

    /// <summary><c>data:{mime};base64,{data}</c> → <c>inlineData</c>; <c>http(s)://…</c> → <c>fileData</c> with a MIME type guessed from the extension.</summary>
    private static string? WriteMedia(Utf8JsonWriter json, string url, int at)
    {
        var kind = DataUrl.Parse(url, out var mediaType, out var data);
        if (kind != DataUrlKind.NotDataUrl)
        {
            if (kind != DataUrlKind.Base64 || mediaType.IsEmpty)
            {
                return $"messages[{at}]: a data: URL must be '<mime>;base64,<data>' for Gemini.";
            }

            json.WriteStartObject();
            json.WriteStartObject("inlineData"u8);
            json.WriteString("mimeType"u8, mediaType);
            json.WriteString("data"u8, data);
            json.WriteEndObject();
            json.WriteEndObject();
            return null;
        }

        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("gs://", StringComparison.OrdinalIgnoreCase))
        {
            json.WriteStartObject();
            json.WriteStartObject("fileData"u8);
            json.WriteString("mimeType"u8, GuessMimeType(url));
            json.WriteString("fileUri"u8, url);
            json.WriteEndObject();
            json.WriteEndObject();
            return null;
        }

        return $"messages[{at}]: media URLs must be data: (base64) or http(s) URLs.";
    }

    /// <summary>From the path's extension; <c>image/*</c> when it says nothing (the part came as <c>image_url</c>).</summary>
    internal static string GuessMimeType(string url)
    {
        ReadOnlySpan<char> path = url;
        int end = path.IndexOfAny('?', '#');
        path = end < 0 ? path : path[..end];
        int dot = path.LastIndexOf('.');
        int slash = path.LastIndexOf('/');
        ReadOnlySpan<char> ext = dot > slash ? path[(dot + 1)..] : default;
        return ext.ToString().ToLowerInvariant() switch
        {
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "heic" => "image/heic",
            "heif" => "image/heif",
            "pdf" => "application/pdf",
            "mp3" => "audio/mp3",
            "wav" => "audio/wav",
            "mp4" => "video/mp4",
            "txt" => "text/plain",
            _ => "image/*",
        };
    }

    /// <summary>A tool message's content as one string: a string, or its text parts joined.</summary>
    private static string? WriteJoinedText(Utf8JsonWriter json, JsonElement message, int at)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null)
        {
            json.WriteStringValue(""u8);
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            content.WriteTo(json);
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return $"messages[{at}].content must be a string or an array of text parts.";
        }

        var joined = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (!TryGetText(part, out var text))
            {
                return $"messages[{at}] (role tool) can carry only text parts to Gemini.";
            }

            joined.Append(text.GetString());
        }

        json.WriteStringValue(joined.ToString());
        return null;
    }

    private static bool TryGetText(JsonElement part, out JsonElement text)
    {
        text = default;
        return part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type"u8, out var type)
            && (type.ValueEquals("text"u8) && part.TryGetProperty("text"u8, out text)
                || type.ValueEquals("refusal"u8) && part.TryGetProperty("refusal"u8, out text))
            && text.ValueKind == JsonValueKind.String;
    }

    private static void WriteText(Utf8JsonWriter json, JsonElement text)
    {
        json.WriteStartObject();
        json.WritePropertyName("text"u8);
        text.WriteTo(json);
        json.WriteEndObject();
    }
}
