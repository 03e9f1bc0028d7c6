using System.Text.Json.Serialization;

namespace Gateway.Fast.Configuration;

/// <summary>How the delay grows between attempts: d, d·n or d·2^(n−1) (spec §4).</summary>
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
