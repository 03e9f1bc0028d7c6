using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.LogQueries;

/// <summary>Three rows that differ in every filterable field, for filter, order and aggregation tests (B has no team, C no session).</summary>
public static class LogRows
{
    public static readonly LogRecord A = new()
    {
        Id = "01A", GatewayId = "gw", CreatedAtUnixMs = Ms("2025-01-01T00:00:00Z"), Provider = "openai", Model = "gpt-4o",
        ModelType = "chat", Path = "chat/completions", RequestType = "provider", Success = true, Cached = false, StatusCode = 200,
        Duration = 100, TimeToFirstTokenMs = 50, TokensIn = 10, TokensOut = 20, Cost = 0.01, Metadata = """{"user":"alice","tier":3}""",
        EventId = "ev-1", RequestContentType = "application/json", ResponseContentType = "text/event-stream", Feedback = 1,
        Authentication = true, UserAgent = "sdk/1", TeamId = "t-red", TeamName = "Red", SessionId = "abc-123", GuardrailFlags = "S11,P1",
    };

    public static readonly LogRecord B = new()
    {
        Id = "01B", GatewayId = "gw", CreatedAtUnixMs = Ms("2025-01-02T00:00:00Z"), Provider = "anthropic", Model = "claude-3",
        ModelType = "chat", Path = "v1/messages", RequestType = "compat", Success = false, Cached = false, StatusCode = 500,
        Duration = 300, RequestContentType = "application/json", ResponseContentType = "application/json", Feedback = -1,
        DlpAction = "BLOCK", UserAgent = "curl/8", SessionId = "s-9", GuardrailFlags = "custom:pii",
    };

    public static readonly LogRecord C = new()
    {
        Id = "01C", GatewayId = "gw", CreatedAtUnixMs = Ms("2025-01-03T00:00:00Z"), Provider = "openai", Model = "text-embedding-3",
        ModelType = "embedding", Path = "embeddings", RequestType = "universal", Success = true, Cached = true, StatusCode = 200,
        Duration = 5, TimeToFirstTokenMs = 5, TokensIn = 7, TokensOut = 0, Cost = 0, Metadata = """{"user":"bob"}""", EventId = "ev-2",
        RequestContentType = "application/json", ResponseContentType = "application/json", Authentication = true, DlpAction = "FLAG",
        TeamId = "t-red", TeamName = "Red Team", // the same team, renamed since A
    };

    public static readonly LogRecord[] All = [C, B, A];

    public static long Ms(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
