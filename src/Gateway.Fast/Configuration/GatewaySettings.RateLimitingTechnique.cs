using System.Text.Json.Serialization;

namespace Gateway.Fast.Configuration;

/// <summary>How the gateway-wide limiter counts: clock-aligned windows or the last N seconds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RateLimitingTechnique>))]
public enum RateLimitingTechnique : byte
{
    [JsonStringEnumMemberName("fixed")]
    Fixed,

    [JsonStringEnumMemberName("sliding")]
    Sliding,
}
