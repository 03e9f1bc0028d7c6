using System.Text.Json;

namespace Gateway.Fast.LogQueries;

/// <summary>Reads a row's metadata JSON string (an object of at most 5 string/number/boolean entries) as key/text pairs.</summary>
public static class LogMetadata
{
    /// <summary>The entries of <paramref name="json"/>; empty when it is null, not JSON or not an object. Values are their text
    /// (strings unquoted, numbers and booleans as written).</summary>
    public static List<KeyValuePair<string, string>> Entries(string? json)
    {
        var entries = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(json))
        {
            return entries;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return entries;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                entries.Add(new(property.Name, text));
            }
        }
        catch (JsonException)
        {
            // A row written before validation existed keeps its text; it just matches no metadata filter.
        }

        return entries;
    }
}
