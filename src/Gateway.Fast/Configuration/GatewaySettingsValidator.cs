namespace Gateway.Fast.Configuration;

/// <summary>Checks the documented ranges (docs/gateway-api.md#gateways) on a settings object and reports each offending field.</summary>
public static class GatewaySettingsValidator
{
    public const int MaxIdLength = 64;

    /// <summary>Our choice: a display name is for people: 256 characters is room enough and keeps listings small.</summary>
    public const int MaxNameLength = 256;

    /// <summary>True when <paramref name="id"/> is 1–64 chars of <c>[a-z0-9_-]</c> (the alphabet is our choice, docs/gateway-api.md#gateway-ids-and-the-default-gateway).</summary>
    public static bool IsValidId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds one error per out-of-range field to <paramref name="errors"/>; returns true when none was added.</summary>
    public static bool Validate(GatewaySettings settings, List<GatewaySettingsError> errors)
    {
        var before = errors.Count;

        if (!IsValidId(settings.Id))
        {
            errors.Add(new("id", "id must be 1-64 characters of a-z, 0-9, '_' and '-'"));
        }

        if (settings.Name is { Length: > MaxNameLength })
        {
            errors.Add(new("name", $"name must be at most {MaxNameLength} characters or null"));
        }

        AtLeast(errors, "cache_ttl", settings.CacheTtl, 0);
        AtLeast(errors, "rate_limiting_interval", settings.RateLimitingInterval, 0);
        AtLeast(errors, "rate_limiting_limit", settings.RateLimitingLimit, 0);
        Between(errors, "log_management", settings.LogManagement, 10_000, 10_000_000);
        Between(errors, "retry_max_attempts", settings.RetryMaxAttempts, 1, 5);
        Between(errors, "retry_delay", settings.RetryDelay, 0, 5_000);
        Between(errors, "request_timeout", settings.RequestTimeout, 1, 600_000);

        if (settings.LogpushPublicKey is { Length: < 16 or > 1024 })
        {
            errors.Add(new("logpush_public_key", "logpush_public_key must be 16-1024 characters or null"));
        }

        return errors.Count == before;
    }

    private static void AtLeast(List<GatewaySettingsError> errors, string field, int? value, int min)
    {
        if (value < min)
        {
            errors.Add(new(field, $"{field} must be >= {min} or null"));
        }
    }

    private static void Between(List<GatewaySettingsError> errors, string field, int? value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(new(field, $"{field} must be between {min} and {max} or null"));
        }
    }
}
