using System.Text.Json.Serialization;

namespace Gateway.Fast.Configuration;

/// <summary>How the delay grows between attempts: d, d·n or d·2^(n−1) (docs/gateway-api.md#timeouts-retries-and-fallbacks).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetryBackoff>))]
public enum RetryBackoff : byte
{
    [JsonStringEnumMemberName("constant")]
    Constant,

    [JsonStringEnumMemberName("linear")]
    Linear,

    [JsonStringEnumMemberName("exponential")]
    Exponential,
}
