using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Fast.Configuration;
using Gateway.Fast.Resilience;

namespace Gateway.Fast.Universal;

/// <summary>Reads one step object: <c>{provider, endpoint, headers{}, query, config{}, authorization}</c>; other fields are ignored.</summary>
internal static class UniversalStepReader
{
    // The upstream gets the caller's text back: no \uXXXX for non-ASCII or '+', which the default encoder would add.
    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static bool TryRead(JsonElement element, int index, [NotNullWhen(true)] out UniversalStep? step, out UniversalParseError error)
    {
        step = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = UniversalParseError.InStep(UniversalParseErrorKind.StepNotObject, index, "each step must be a JSON object.");
            return false;
        }

        string? provider = null;
        string? endpoint = null;
        string? authorization = null;
        JsonElement headers = default;
        JsonElement query = default;
        JsonElement config = default;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "provider":
                    provider = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "endpoint":
                    endpoint = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "headers":
                    headers = property.Value;
                    break;
                case "query":
                    query = property.Value;
                    break;
                case "config":
                    config = property.Value;
                    break;
                case "authorization":
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidHeaders, index, "'authorization' must be a string.");
                        return false;
                    }

                    authorization = property.Value.GetString();
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(provider))
        {
            error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidProvider, index, "'provider' must be a non-empty string.");
            return false;
        }

        endpoint = endpoint?.TrimStart('/');
        if (string.IsNullOrEmpty(endpoint) || endpoint.AsSpan().ContainsAnyInRange('\0', ' ') || endpoint.Contains('\u007f'))
        {
            error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidEndpoint, index,
                "'endpoint' must be a non-empty path without spaces or control characters.");
            return false;
        }

        if (!TryReadHeaders(headers, authorization, index, out var headerList, out error)
            || !TryReadConfig(config, index, out var stepConfig, out error))
        {
            return false;
        }

        step = new UniversalStep(index, provider, endpoint, headerList, Serialize(query), stepConfig);
        error = UniversalParseError.None;
        return true;
    }

    private static bool TryReadHeaders(JsonElement headers, string? authorization, int index,
        out IReadOnlyList<KeyValuePair<string, string>> list, out UniversalParseError error)
    {
        list = [];
        var result = new List<KeyValuePair<string, string>>();
        bool hasAuthorization = false;
        if (headers.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            if (headers.ValueKind != JsonValueKind.Object)
            {
                error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidHeaders, index, "'headers' must be an object.");
                return false;
            }

            foreach (var header in headers.EnumerateObject())
            {
                string? value = header.Value.ValueKind switch
                {
                    JsonValueKind.String => header.Value.GetString(),
                    JsonValueKind.Number => header.Value.GetRawText(), // "cf-aig-cache-ttl": 0 means "0"
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                if (header.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (value is null || !HeaderSyntax.IsValidName(header.Name) || !HeaderSyntax.IsValidValue(value))
                {
                    error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidHeaders, index,
                        $"header '{Printable(header.Name)}' must have a token name and a string value of printable ASCII.");
                    return false;
                }

                hasAuthorization |= header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
                result.Add(new(header.Name, value));
            }
        }

        // Older docs put the provider key in a step-level "authorization"; an explicit header wins over it.
        if (authorization is not null && !hasAuthorization)
        {
            if (!HeaderSyntax.IsValidValue(authorization))
            {
                error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidHeaders, index, "'authorization' must be printable ASCII.");
                return false;
            }

            result.Add(new("Authorization", authorization));
        }

        list = result;
        error = UniversalParseError.None;
        return true;
    }

    private static bool TryReadConfig(JsonElement config, int index, out StepConfig stepConfig, out UniversalParseError error)
    {
        stepConfig = default;
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            error = UniversalParseError.None;
            return true;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidConfig, index, "'config' must be an object.");
            return false;
        }

        int? timeout = null, attempts = null, delay = null;
        RetryBackoff? backoff = null;
        foreach (var field in config.EnumerateObject())
        {
            var value = field.Value;
            bool ok = field.Name switch
            {
                "requestTimeout" => TryInteger(value, out timeout),
                "maxAttempts" => TryInteger(value, out attempts),
                "retryDelay" => TryInteger(value, out delay),
                "backoff" => TryBackoff(value, out backoff),
                _ => true,
            };
            if (!ok)
            {
                string expected = field.Name == "backoff" ? "'constant', 'linear' or 'exponential'" : "an integer";
                error = UniversalParseError.InStep(UniversalParseErrorKind.InvalidConfig, index, $"'config.{field.Name}' must be {expected}.");
                return false;
            }
        }

        stepConfig = new StepConfig(timeout, attempts, delay, backoff);
        error = UniversalParseError.None;
        return true;
    }

    /// <summary>An integral JSON number (or null = unset); saturated to <see cref="int"/> so the resolver can clamp it.</summary>
    private static bool TryInteger(JsonElement value, out int? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetInt64(out long l))
        {
            result = (int)Math.Clamp(l, int.MinValue, int.MaxValue);
            return true;
        }

        // 2.0, 1e3 or 1e30 are integers written another way; 1.5 is not.
        double d = value.GetDouble();
        if (double.IsFinite(d) && Math.Floor(d) == d)
        {
            result = (int)Math.Clamp(d, int.MinValue, int.MaxValue);
            return true;
        }

        return false;
    }

    private static bool TryBackoff(JsonElement value, out RetryBackoff? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && PolicyResolver.TryBackoff(value.GetString(), out var backoff))
        {
            result = backoff;
            return true;
        }

        return false;
    }

    private static byte[] Serialize(JsonElement query)
    {
        if (query.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return [];
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            query.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    // A refused header name goes back in the message; keep CR/LF and other controls out of it.
    private static string Printable(string name)
    {
        var span = name.AsSpan(0, Math.Min(name.Length, 64));
        return span.ContainsAnyExceptInRange(' ', '~') ? "(unprintable)" : span.ToString();
    }
}
