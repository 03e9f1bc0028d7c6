using System.Text.Json;

namespace Gateway.Fast.Compat;

/// <summary>Checks the OpenAI embeddings <c>input</c>: a string or a non-empty array of strings (token arrays are refused).</summary>
internal static class EmbeddingsInput
{
    /// <summary>Null when <paramref name="root"/>'s <c>input</c> is text; otherwise the 400 message.</summary>
    public static string? Validate(JsonElement root, string provider, out JsonElement input)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("input"u8, out input))
        {
            input = default;
            return "'input' is required.";
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            return null;
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return "'input' must be a string or a non-empty array of strings.";
        }

        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return $"'input' must be text for {provider}: token arrays cannot be embedded there.";
            }
        }

        return null;
    }

    /// <summary><c>dimensions</c> as a positive integer, 0 when absent; null error unless it is malformed.</summary>
    public static string? Dimensions(JsonElement root, out int dimensions)
    {
        dimensions = 0;
        if (!root.TryGetProperty("dimensions"u8, out var d) || d.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out dimensions) && dimensions > 0 ? null : "'dimensions' must be a positive integer.";
    }
}
