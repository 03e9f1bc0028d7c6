namespace Gateway.Fast.Logging;

/// <summary>One request log row (docs/gateway-api.md#log-rows): what the logs API lists, filters and returns. Immutable once appended.</summary>
/// <remarks>
/// Bodies are not part of the row: <see cref="LogEntry"/> carries them to the store, which keeps them apart and serves them
/// through <see cref="ILogStore.ReadBodyAsync"/>. Times are unix milliseconds; <c>created_at</c> is rendered as ISO-8601 by
/// the API.
/// </remarks>
public sealed record LogRecord
{
    /// <summary>ULID, the <c>cf-aig-log-id</c> of the response.</summary>
    public required string Id { get; init; }

    public required string GatewayId { get; init; }

    public long CreatedAtUnixMs { get; init; }

    public string Provider { get; init; } = "";

    public string Model { get; init; } = "";

    /// <summary><c>chat</c>, <c>embedding</c>, <c>image</c>, <c>audio</c>, … (our choice: guessed from the path).</summary>
    public string ModelType { get; init; } = "";

    /// <summary>Provider path, e.g. <c>chat/completions</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary><c>provider</c>, <c>universal</c>, <c>compat</c>, <c>websocket</c>, <c>binding</c>.</summary>
    public string RequestType { get; init; } = "provider";

    public bool Success { get; init; }

    public bool Cached { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Total time in ms.</summary>
    public int Duration { get; init; }

    /// <summary>Time to the first response byte from the gateway, in ms; null when no body was sent.</summary>
    public int? TimeToFirstTokenMs { get; init; }

    public int? TokensIn { get; init; }

    public int? TokensOut { get; init; }

    /// <summary>True when the token counts were estimated with a tokenizer because the provider reported none.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>USD.</summary>
    public double? Cost { get; init; }

    public bool CustomCost { get; init; }

    /// <summary>The <c>cf-aig-metadata</c> object as JSON text (at most 5 entries of string, number or boolean), or null.</summary>
    public string? Metadata { get; init; }

    /// <summary>Universal step index that produced this row (0 for single-step requests).</summary>
    public int Step { get; init; }

    public string? EventId { get; init; }

    public string? RequestContentType { get; init; }

    public string? ResponseContentType { get; init; }

    public long RequestSize { get; init; }

    public long ResponseSize { get; init; }

    /// <summary>True when the request and response bodies were kept (<c>collect_logs</c> / <c>cf-aig-collect-log-payload</c>).</summary>
    public bool BodiesKept { get; init; }

    /// <summary>-1, 0 (none) or 1.</summary>
    public int Feedback { get; init; }

    public double? Score { get; init; }

    public bool Authentication { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>DLP's verdict on the request or response (<c>FLAG</c>, <c>BLOCK</c>), null when no DLP profile matched.</summary>
    public string? DlpAction { get; init; }

    /// <summary>The team of the key that authenticated the request, so analytics can group by team; null for other callers.</summary>
    public string? TeamId { get; init; }

    /// <summary>The team's name when the row was written.</summary>
    public string? TeamName { get; init; }

    /// <summary>The caller's <c>X-SESSION-ID</c> header or <c>session_id</c> cookie (at most 128 of <c>[A-Za-z0-9._:-]</c>).</summary>
    public string? SessionId { get; init; }

    /// <summary>The categories a FLAG-action guardrail matched, comma-separated (<c>S11,P1,custom:name</c>); null when none.</summary>
    public string? GuardrailFlags { get; init; }
}

/// <summary>A row with its bodies (credentials already removed), and the response headers as
/// <see cref="ResponseHeaderCapture"/> encodes them (empty when not kept).</summary>
public readonly record struct LogEntry(LogRecord Record, ReadOnlyMemory<byte> RequestBody, ReadOnlyMemory<byte> ResponseBody,
    ReadOnlyMemory<byte> ResponseHeaders = default);

/// <summary>Which stored body to read.</summary>
public enum LogBodyKind : byte
{
    Request,
    Response,

    /// <summary>The response headers the gateway sent, as <see cref="ResponseHeaderCapture"/> encodes them; kept whether or
    /// not the bodies are, absent from rows written before they were kept.</summary>
    ResponseHeaders,
}
