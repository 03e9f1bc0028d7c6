using System.Text.Json.Serialization;
using Gateway.Fast.Client.Analytics;
using Gateway.Fast.Client.Logs;

namespace Gateway.Fast.Client;

/// <summary>Cloudflare's v4 envelope around a management answer.</summary>
internal sealed record V4Envelope<T>(bool Success, T? Result, V4ResultInfo? ResultInfo);

internal sealed record V4ResultInfo(int Page, int PerPage, int Count, int TotalCount);

/// <summary>Source-generated JSON for the management answers (no reflection, so the package trims and AOT-compiles).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(V4Envelope<GatewayLog>))]
[JsonSerializable(typeof(V4Envelope<List<GatewayLog>>))]
[JsonSerializable(typeof(V4Envelope<List<AnalyticsGroup>>))]
internal sealed partial class ClientJson : JsonSerializerContext;
