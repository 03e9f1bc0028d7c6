namespace Gateway.Fast.LogQueries;

/// <summary>A field a log filter can test (docs/gateway-api.md#logs-api).</summary>
public enum LogFilterKey : byte
{
    Id,
    CreatedAt,
    RequestContentType,
    ResponseContentType,
    RequestType,
    Success,
    Cached,
    Provider,
    Model,
    ModelType,
    Cost,

    /// <summary><c>tokens</c> = tokens_in + tokens_out.</summary>
    Tokens,
    TokensIn,
    TokensOut,
    Duration,
    Feedback,
    EventId,

    /// <summary>Any key of the row's metadata object.</summary>
    MetadataKey,

    /// <summary>Any value of the row's metadata object (compared as text; <c>lt</c>/<c>gt</c> numerically).</summary>
    MetadataValue,
    Authentication,

    /// <summary>Always false: a self-hosted gateway bills nothing wholesale.</summary>
    Wholesale,

    /// <summary>True for rows that came through the unified <c>/compat</c> surface.</summary>
    CompatibilityMode,
    DlpAction,
    UserAgent,

    /// <summary>Our own key: the team of the key that authenticated the request.</summary>
    TeamId,
    TeamName,

    /// <summary>Our own key: <c>X-SESSION-ID</c> or the <c>session_id</c> cookie.</summary>
    SessionId,

    /// <summary>Our own key: the categories a FLAG-action guardrail matched, comma-separated (<c>contains</c> finds one).</summary>
    GuardrailFlags,
}

/// <summary>How a filter key's values are typed and which operators it takes.</summary>
public enum LogFilterKeyKind : byte
{
    /// <summary>eq, neq, contains (null ≡ empty).</summary>
    Text,

    /// <summary>eq, neq, lt, gt.</summary>
    Number,

    /// <summary>eq, neq.</summary>
    Boolean,

    /// <summary>eq, neq, lt, gt over unix milliseconds; values are ISO-8601 text or unix ms.</summary>
    Time,
}

/// <summary>The wire names of <see cref="LogFilterKey"/> and their kinds.</summary>
public static class LogFilterKeys
{
    private static readonly (string Name, LogFilterKey Key, LogFilterKeyKind Kind)[] Table =
    [
        ("id", LogFilterKey.Id, LogFilterKeyKind.Text),
        ("created_at", LogFilterKey.CreatedAt, LogFilterKeyKind.Time),
        ("request_content_type", LogFilterKey.RequestContentType, LogFilterKeyKind.Text),
        ("response_content_type", LogFilterKey.ResponseContentType, LogFilterKeyKind.Text),
        ("request_type", LogFilterKey.RequestType, LogFilterKeyKind.Text),
        ("success", LogFilterKey.Success, LogFilterKeyKind.Boolean),
        ("cached", LogFilterKey.Cached, LogFilterKeyKind.Boolean),
        ("provider", LogFilterKey.Provider, LogFilterKeyKind.Text),
        ("model", LogFilterKey.Model, LogFilterKeyKind.Text),
        ("model_type", LogFilterKey.ModelType, LogFilterKeyKind.Text),
        ("cost", LogFilterKey.Cost, LogFilterKeyKind.Number),
        ("tokens", LogFilterKey.Tokens, LogFilterKeyKind.Number),
        ("tokens_in", LogFilterKey.TokensIn, LogFilterKeyKind.Number),
        ("tokens_out", LogFilterKey.TokensOut, LogFilterKeyKind.Number),
        ("duration", LogFilterKey.Duration, LogFilterKeyKind.Number),
        ("feedback", LogFilterKey.Feedback, LogFilterKeyKind.Number),
        ("event_id", LogFilterKey.EventId, LogFilterKeyKind.Text),
        ("metadata.key", LogFilterKey.MetadataKey, LogFilterKeyKind.Text),
        ("metadata.value", LogFilterKey.MetadataValue, LogFilterKeyKind.Text),
        ("authentication", LogFilterKey.Authentication, LogFilterKeyKind.Boolean),
        ("wholesale", LogFilterKey.Wholesale, LogFilterKeyKind.Boolean),
        ("compatibilityMode", LogFilterKey.CompatibilityMode, LogFilterKeyKind.Boolean),
        ("dlp_action", LogFilterKey.DlpAction, LogFilterKeyKind.Text),
        ("user_agent", LogFilterKey.UserAgent, LogFilterKeyKind.Text),
        ("team_id", LogFilterKey.TeamId, LogFilterKeyKind.Text),
        ("team_name", LogFilterKey.TeamName, LogFilterKeyKind.Text),
        ("session_id", LogFilterKey.SessionId, LogFilterKeyKind.Text),
        ("guardrail_flags", LogFilterKey.GuardrailFlags, LogFilterKeyKind.Text),
    ];

    /// <summary>Every key: Cloudflare's, in the SDKs' order, then ours.</summary>
    public static IEnumerable<LogFilterKey> All => Table.Select(static t => t.Key);

    /// <summary>Looks a wire name up (case-sensitive, as the SDK sends it).</summary>
    public static bool TryParse(string name, out LogFilterKey key)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                key = entry.Key;
                return true;
            }
        }

        key = default;
        return false;
    }

    public static string WireName(LogFilterKey key) => Table[(int)key].Name;

    public static LogFilterKeyKind KindOf(LogFilterKey key) => Table[(int)key].Kind;
}
