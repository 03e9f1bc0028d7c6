using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Fast.Client.Logs;

/// <summary>A log row (docs/gateway-api.md#log-rows); the detail fields are set by <see cref="AiGateway.GetLogAsync"/> only.</summary>
public sealed record GatewayLog
{
    public string Id { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public string Provider { get; init; } = "";

    public string Model { get; init; } = "";

    public string? ModelType { get; init; }

    /// <summary>The provider path, e.g. <c>chat/completions</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary><c>provider</c>, <c>universal</c> or <c>compat</c>.</summary>
    public string? RequestType { get; init; }

    public bool Success { get; init; }

    public bool Cached { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Milliseconds from request to the end of the answer.</summary>
    public int Duration { get; init; }

    public int? TimeToFirstTokenMs { get; init; }

    public int? TokensIn { get; init; }

    public int? TokensOut { get; init; }

    public bool TokensEstimated { get; init; }

    /// <summary>USD.</summary>
    public double? Cost { get; init; }

    public bool CustomCost { get; init; }

    /// <summary>The row's metadata (sent on the wire as a JSON-encoded string, read here as an object).</summary>
    [JsonConverter(typeof(MetadataJsonConverter))]
    public IReadOnlyDictionary<string, JsonElement>? Metadata { get; init; }

    /// <summary>On the Universal Endpoint, the index of the step this row belongs to.</summary>
    public int Step { get; init; }

    public string? EventId { get; init; }

    /// <summary>-1 (down), 0 (none) or 1 (up).</summary>
    public int Feedback { get; init; }

    public double? Score { get; init; }

    public string? RequestContentType { get; init; }

    public string? ResponseContentType { get; init; }

    public string? DlpAction { get; init; }

    public bool Authentication { get; init; }

    public string? UserAgent { get; init; }

    public string? TeamId { get; init; }

    public string? TeamName { get; init; }

    public string? SessionId { get; init; }

    public string? GuardrailFlags { get; init; }

    public long? RequestSize { get; init; }

    public long? ResponseSize { get; init; }

    /// <summary>The first 4 KiB of the kept request body.</summary>
    public string? RequestHead { get; init; }

    public bool? RequestHeadComplete { get; init; }

    public string? ResponseHead { get; init; }

    public bool? ResponseHeadComplete { get; init; }
}
