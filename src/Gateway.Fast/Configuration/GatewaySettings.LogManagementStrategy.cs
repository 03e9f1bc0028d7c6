using System.Text.Json.Serialization;

namespace Gateway.Fast.Configuration;

/// <summary>What happens once a gateway holds <c>log_management</c> log rows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogManagementStrategy>))]
public enum LogManagementStrategy : byte
{
    [JsonStringEnumMemberName("STOP_INSERTING")]
    StopInserting,

    [JsonStringEnumMemberName("DELETE_OLDEST")]
    DeleteOldest,
}
