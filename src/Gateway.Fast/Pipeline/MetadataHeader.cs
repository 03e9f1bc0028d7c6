using System.Buffers;
using System.Text.Json;

namespace Gateway.Fast.Pipeline;

/// <summary>Validates <c>cf-aig-metadata</c> (docs/gateway-api.md#request-headers) and renders the JSON text stored on the log row.</summary>
/// <remarks>
/// A JSON object of at most <see cref="MaxEntries"/> entries whose values are strings, numbers or booleans, in at most
/// <see cref="MaxBytes"/> bytes. Anything else is refused with a 400 in the caller's shape: the spec keeps only the
/// first five entries, but a caller who sends more, or nested objects, learns it at once rather than finding its
/// analytics silently cut.
/// </remarks>
internal static class MetadataHeader
{
    public const string Name = "cf-aig-metadata";
    public const int MaxEntries = 5;
    public const int MaxBytes = 4096;

    /// <summary>True when absent (json null) or valid (json = the normalised object); false with a reason otherwise.</summary>
    public static bool TryParse(string? header, out string? json, out string? error)
    {
        json = null;
        error = null;
        if (string.IsNullOrEmpty(header))
        {
            return true;
        }

        if (header.Length > MaxBytes)
        {
            error = $"cf-aig-metadata is longer than {MaxBytes} bytes";
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "cf-aig-metadata must be a JSON object";
                return false;
            }

            var buffer = new ArrayBufferWriter<byte>(header.Length + 16);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                int count = 0;
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (++count > MaxEntries)
                    {
                        error = $"cf-aig-metadata has more than {MaxEntries} entries";
                        return false;
                    }

                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    {
                        error = $"cf-aig-metadata values must be strings, numbers or booleans ('{Trim(property.Name)}' is not)";
                        return false;
                    }

                    property.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            return true;
        }
        catch (JsonException)
        {
            error = "cf-aig-metadata is not valid JSON";
            return false;
        }
    }

    private static string Trim(string name) => name.Length <= 64 ? name : name[..64];
}
