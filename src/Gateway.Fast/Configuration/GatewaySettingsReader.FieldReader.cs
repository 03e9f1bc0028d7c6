using System.Text.Json;

namespace Gateway.Fast.Configuration;

/// <summary>Reads one typed field at a time from a settings body, recording type errors against the field's name.</summary>
internal readonly struct FieldReader(JsonElement body, List<GatewaySettingsError> errors)
{
    public bool Bool(string name, bool required, bool current)
    {
        if (!Find(name, required, out var e))
        {
            return current;
        }

        if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return e.GetBoolean();
        }

        errors.Add(new(name, $"{name} must be a boolean"));
        return current;
    }

    public int? Int(string name, bool required, int? current)
    {
        if (!Find(name, required, out var e))
        {
            return current;
        }

        if (e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value))
        {
            return value;
        }

        errors.Add(new(name, $"{name} must be an integer or null"));
        return current;
    }

    public string? String(string name, bool required, bool nullable, string? current)
    {
        if (!Find(name, required, out var e))
        {
            return current;
        }

        if (e.ValueKind == JsonValueKind.String)
        {
            return e.GetString();
        }

        if (nullable && e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        errors.Add(new(name, nullable ? $"{name} must be a string or null" : $"{name} must be a string"));
        return current;
    }

    public T? Enum<T>(string name, T? current, Func<string, T?> parse, string allowed, bool nullable = true)
        where T : struct
    {
        if (!Find(name, false, out var e))
        {
            return current;
        }

        if (nullable && e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind == JsonValueKind.String && parse(e.GetString()!) is { } value)
        {
            return value;
        }

        errors.Add(new(name, nullable ? $"{name} must be one of {allowed} or null" : $"{name} must be one of {allowed}"));
        return current;
    }

    public JsonElement? Raw(string name, JsonValueKind kind, JsonElement? current)
    {
        if (!Find(name, false, out var e))
        {
            return current;
        }

        if (e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind == kind)
        {
            // Clone: the request's JsonDocument is disposed once the call returns.
            return e.Clone();
        }

        errors.Add(new(name, $"{name} must be {(kind == JsonValueKind.Array ? "an array" : "an object")} or null"));
        return current;
    }

    private bool Find(string name, bool required, out JsonElement element)
    {
        if (body.TryGetProperty(name, out element))
        {
            return true;
        }

        if (required)
        {
            errors.Add(new(name, $"{name} is required"));
        }

        return false;
    }
}
