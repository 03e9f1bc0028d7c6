using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Fast.Client;

/// <summary>Turns <see cref="GatewayRequestOptions"/> into <c>cf-aig-*</c> header pairs, one per option set, as the binding does.</summary>
public static class GatewayHeaders
{
    /// <summary>The headers for <paramref name="options"/>: booleans as <c>true</c>/<c>false</c>, times in their unit, metadata as JSON.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(GatewayRequestOptions? options)
    {
        if (options is null)
        {
            yield break;
        }

        if (options.SkipCache is { } skip)
        {
            yield return new("cf-aig-skip-cache", skip ? "true" : "false");
        }

        if (options.CacheTtl is { } ttl)
        {
            yield return new("cf-aig-cache-ttl", Whole(ttl.TotalSeconds));
        }

        if (options.CacheKey is { } key)
        {
            yield return new("cf-aig-cache-key", key);
        }

        if (options.Metadata is { } metadata)
        {
            yield return new("cf-aig-metadata", MetadataJson(metadata));
        }

        if (options.CollectLog is { } collect)
        {
            yield return new("cf-aig-collect-log", collect ? "true" : "false");
        }

        if (options.EventId is { } eventId)
        {
            yield return new("cf-aig-event-id", eventId);
        }

        if (options.RequestTimeout is { } timeout)
        {
            yield return new("cf-aig-request-timeout", Whole(timeout.TotalMilliseconds));
        }

        if (options.Retries is { } retries)
        {
            if (retries.MaxAttempts is { } attempts)
            {
                yield return new("cf-aig-max-attempts", attempts.ToString(CultureInfo.InvariantCulture));
            }

            if (retries.RetryDelay is { } delay)
            {
                yield return new("cf-aig-retry-delay", Whole(delay.TotalMilliseconds));
            }

            if (retries.Backoff is { } backoff)
            {
                yield return new("cf-aig-backoff", backoff switch
                {
                    GatewayBackoff.Linear => "linear",
                    GatewayBackoff.Exponential => "exponential",
                    _ => "constant",
                });
            }
        }
    }

    /// <summary>Metadata as a JSON object; a value that is not a string, number, boolean or null is refused here, not by the gateway.</summary>
    public static string MetadataJson(IReadOnlyDictionary<string, object?> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in metadata)
            {
                writer.WritePropertyName(name);
                switch (value)
                {
                    case null: writer.WriteNullValue(); break;
                    case string s: writer.WriteStringValue(s); break;
                    case bool b: writer.WriteBooleanValue(b); break;
                    case int i: writer.WriteNumberValue(i); break;
                    case long l: writer.WriteNumberValue(l); break;
                    case double d: writer.WriteNumberValue(d); break;
                    case float f: writer.WriteNumberValue(f); break;
                    case decimal m: writer.WriteNumberValue(m); break;
                    case short or byte or uint or ushort or sbyte:
                        writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case ulong u: writer.WriteNumberValue(u); break;
                    default:
                        throw new ArgumentException(
                            $"Metadata '{name}' is a {value.GetType().Name}; cf-aig-metadata holds only strings, numbers, booleans and null.", nameof(metadata));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Whole(double value) => ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture);
}
