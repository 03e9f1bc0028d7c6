using System.Text.Json.Serialization;

namespace Gateway.Fast.Configuration;

/// <summary>How Workers AI calls through the gateway are billed; recorded only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkersAiBillingMode>))]
public enum WorkersAiBillingMode : byte
{
    [JsonStringEnumMemberName("postpaid")]
    Postpaid,

    [JsonStringEnumMemberName("unified")]
    Unified,
}
