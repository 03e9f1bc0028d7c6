using System.Text.Json.Serialization;

namespace Gateway.Fast.Configuration;

/// <summary>Source-generated JSON for <see cref="GatewaySettings"/> in the wire's snake_case, used by the store and the API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GatewaySettings))]
public sealed partial class GatewaySettingsJsonContext : JsonSerializerContext;
