using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>An OpenAI-compatible provider's body through the unified API: the caller's, with <c>model</c> replaced by the native id.</summary>
internal static class ModelRewriter
{
    /// <summary>
    /// Splices the native id in at the peeked range when there is one (the common case: the rest of the body is copied
    /// as is), rewrites property by property otherwise (an escaped model string, or a <c>provider</c> field to drop; the caller has checked the body is a JSON object).
    /// </summary>
    /// <param name="body">The caller's body.</param>
    /// <param name="model">The peeked range of the <c>model</c> string's raw value (empty when the peek found none).</param>
    /// <param name="nativeModel">The id to send.</param>
    /// <param name="dropProvider">The default routes' own <c>provider</c> field is the gateway's, not the provider's: removed.</param>
    public static byte[] Rewrite(ReadOnlySpan<byte> body, Range model, string nativeModel, bool dropProvider)
    {
        int start = model.Start.Value, end = model.End.Value;
        var encoded = JsonEncodedText.Encode(nativeModel, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        if (end > start && end <= body.Length && !dropProvider)
        {
            var utf8 = encoded.EncodedUtf8Bytes;
            var spliced = new byte[start + utf8.Length + body.Length - end];
            body[..start].CopyTo(spliced);
            utf8.CopyTo(spliced.AsSpan(start));
            body[end..].CopyTo(spliced.AsSpan(start + utf8.Length));
            return spliced;
        }

        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        using var document = JsonDocument.Parse(body.ToArray());
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("model"u8))
                {
                    json.WriteString("model"u8, encoded);
                }
                else if (!(dropProvider && property.NameEquals("provider"u8)))
                {
                    property.WriteTo(json);
                }
            }

            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
