using System.Text.Json;

namespace Gateway.Fast.Client;

/// <summary>
/// Reads the message and code out of any error shape the gateway answers in: Cloudflare's v4 envelope (<c>errors[]</c>),
/// the gateway's own (<c>error[]</c>), OpenAI's and Anthropic's (<c>error.message</c>); any other body is quoted as text.
/// </summary>
internal static class ErrorBody
{
    // An error body is a few hundred bytes; a provider's HTML error page is cut here rather than quoted whole.
    private const int MaxQuotedChars = 2048;

    public static async Task<(string Message, string? Code)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return (Fallback(response), null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (TryRead(document.RootElement, out var message, out var code))
            {
                return (message, code);
            }
        }
        catch (JsonException)
        {
            // Not JSON: quoted below.
        }

        text = text.Trim();
        return (text.Length == 0 ? Fallback(response) : text.Length > MaxQuotedChars ? text[..MaxQuotedChars] : text, null);
    }

    private static bool TryRead(JsonElement body, out string message, out string? code)
    {
        message = "";
        code = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var name in (ReadOnlySpan<string>)["errors", "error"])
        {
            if (body.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
            {
                return TryEntry(list[0], "code", out message, out code);
            }
        }

        if (body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            return TryEntry(error, error.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null ? "code" : "type", out message, out code);
        }

        if (body.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
        {
            message = text.GetString()!;
            code = body.TryGetProperty("internalCode", out var internalCode) ? Scalar(internalCode) : null;
            return true;
        }

        return false;
    }

    private static bool TryEntry(JsonElement entry, string codeName, out string message, out string? code)
    {
        message = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("message", out var m) ? Scalar(m) ?? "" : "";
        code = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(codeName, out var c) ? Scalar(c) : null;
        return message.Length > 0 || code is not null;
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static string Fallback(HttpResponseMessage response) => $"The gateway answered {(int)response.StatusCode}";
}
