using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Compat.Anthropic;

/// <summary>An OpenAI <c>image_url</c> part as an Anthropic image block: base64 source for data URLs, url source for http(s).</summary>
internal static class AnthropicImage
{
    /// <summary>Writes the block for the part's <c>image_url</c> value (<c>{"url", "detail"}</c>, or the URL string as some clients send it); returns a 400 message or null.</summary>
    public static string? Write(Utf8JsonWriter json, JsonElement imageUrl)
    {
        JsonElement url = imageUrl;
        if (imageUrl.ValueKind == JsonValueKind.Object)
        {
            imageUrl.TryGetProperty("url"u8, out url);
        }

        if (url.ValueKind != JsonValueKind.String)
        {
            return "'image_url.url' must be a string.";
        }

        // Images are the one large thing in a request: read the URL's bytes in place rather than as a string, unless
        // the caller escaped something in it (base64 and URLs rarely need it).
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(url);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.Contains((byte)'\\'))
        {
            raw = Encoding.UTF8.GetBytes(url.GetString()!);
        }

        var kind = DataUrl.Parse(raw, out var mediaType, out var data);
        if (kind != DataUrlKind.NotDataUrl)
        {
            return WriteDataUrl(json, kind, mediaType, data);
        }

        if (raw.StartsWith("https://"u8) || raw.StartsWith("http://"u8))
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "image"u8);
            json.WriteStartObject("source"u8);
            json.WriteString("type"u8, "url"u8);
            json.WriteString("url"u8, raw);
            json.WriteEndObject();
            json.WriteEndObject();
            return null;
        }

        return "Anthropic takes images as base64 data URLs (data:image/png;base64,…) or http(s) URLs.";
    }

    /// <summary><c>data:{media type};base64,{data}</c> (RFC 2397); a PDF becomes a document block, as Anthropic reads those too.</summary>
    private static string? WriteDataUrl(Utf8JsonWriter json, DataUrlKind kind, ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> data)
    {
        if (kind != DataUrlKind.Base64)
        {
            return "Anthropic takes data URLs only base64-encoded: data:image/png;base64,….";
        }

        json.WriteStartObject();
        json.WriteString("type"u8, mediaType.SequenceEqual("application/pdf"u8) ? "document"u8 : "image"u8);
        json.WriteStartObject("source"u8);
        json.WriteString("type"u8, "base64"u8);
        json.WriteString("media_type"u8, mediaType);
        json.WriteString("data"u8, data);
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }
}
