using System.Text.Json.Serialization;

namespace Gateway.Fast.Access;

/// <summary>Source-generated JSON of the access records as the store writes them (snake_case, digests and ciphertext as base64).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GatewayToken))]
[JsonSerializable(typeof(TeamKey))]
[JsonSerializable(typeof(ProviderConfig))]
internal sealed partial class AccessJsonContext : JsonSerializerContext;
