using System.Text.Json;
using Gateway.Fast.Access;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Management;

/// <summary>A team key's PATCH body (<c>name</c>, <c>limited</c>, <c>rate_limit</c>, <c>rate_limit_period</c>, <c>allowed_models</c>): every field optional, each checked, nothing applied if one is wrong.</summary>
internal static class TeamKeyPatch
{
    private const int MaxTextChars = 256;
    private const int MaxAllowedModels = 1024;
    private const int MaxPeriodSeconds = 86_400;

    public static bool TryApply(TeamKey current, JsonElement root, List<V4Error> errors, out TeamKey next)
    {
        next = current;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(StatusCodes.Status400BadRequest, "The request body must be a JSON object"));
            return false;
        }

        if (Find(root, "name", "name") is { } name)
        {
            if (name.ValueKind != JsonValueKind.String || name.GetString()!.Length > MaxTextChars)
            {
                errors.Add(new(StatusCodes.Status400BadRequest, "name must be a string of at most 256 characters", "name"));
            }
            else
            {
                next = next with { Name = name.GetString()! };
            }
        }

        if (Find(root, "limited", "limited") is { } limited)
        {
            if (limited.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add(new(StatusCodes.Status400BadRequest, "limited must be a boolean", "limited"));
            }
            else
            {
                next = next with { Limited = limited.GetBoolean() };
            }
        }

        if (Find(root, "rate_limit", "rateLimit") is { } limit)
        {
            if (TryReadCount(limit, int.MaxValue, out var value))
            {
                next = next with { RateLimit = value };
            }
            else
            {
                errors.Add(new(StatusCodes.Status400BadRequest, "rate_limit must be a positive integer or null", "rate_limit"));
            }
        }

        if (Find(root, "rate_limit_period", "rateLimitPeriod") is { } period)
        {
            if (TryReadCount(period, MaxPeriodSeconds, out var value))
            {
                next = next with { RateLimitPeriod = value };
            }
            else
            {
                errors.Add(new(StatusCodes.Status400BadRequest, "rate_limit_period must be 1 to 86400 seconds, or null", "rate_limit_period"));
            }
        }

        if (Find(root, "allowed_models", "allowedModels") is { } models)
        {
            if (TryReadModels(models, out var list))
            {
                next = next with { AllowedModels = list };
            }
            else
            {
                errors.Add(new(StatusCodes.Status400BadRequest, "allowed_models must be an array of model names, or null", "allowed_models"));
            }
        }

        return errors.Count == 0;
    }

    private static JsonElement? Find(JsonElement root, string snake, string camel)
        => root.TryGetProperty(snake, out var value) || root.TryGetProperty(camel, out value) ? value : null;

    private static bool TryReadCount(JsonElement element, int max, out int? value)
    {
        value = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var n) && n > 0 && n <= max)
        {
            value = n;
            return true;
        }

        return false;
    }

    private static bool TryReadModels(JsonElement element, out string[]? models)
    {
        models = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > MaxAllowedModels)
        {
            return false;
        }

        var list = new string[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 and <= MaxTextChars } model)
            {
                return false;
            }

            list[i++] = model;
        }

        models = list;
        return true;
    }
}
