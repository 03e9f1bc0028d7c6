namespace Gateway.Fast.Logging;

/// <summary>A row's fields as the record stage knows them, encoded straight into the log entry without a <see cref="LogRecord"/>.</summary>
/// <remarks>
/// A struct so the hot path allocates nothing for its row (the strings are ones the request already holds); the cold
/// paths convert from a record with <see cref="From"/>. Same fields, same meaning as <see cref="LogRecord"/>.
/// </remarks>
public struct LogRowFields
{
    public string Id;
    public string GatewayId;
    public long CreatedAtUnixMs;
    public string Provider;
    public string Model;
    public string ModelType;
    public string Path;
    public string RequestType;
    public bool Success;
    public bool Cached;
    public int StatusCode;
    public int Duration;
    public int? TimeToFirstTokenMs;
    public int? TokensIn;
    public int? TokensOut;
    public bool TokensEstimated;
    public double? Cost;
    public bool CustomCost;
    public string? Metadata;
    public int Step;
    public string? EventId;
    public string? RequestContentType;
    public string? ResponseContentType;
    public long RequestSize;
    public long ResponseSize;
    public bool BodiesKept;
    public int Feedback;
    public double? Score;
    public bool Authentication;
    public string? UserAgent;
    public string? DlpAction;
    public string? TeamId;
    public string? TeamName;
    public string? SessionId;
    public string? GuardrailFlags;

    public static LogRowFields From(LogRecord r) => new()
    {
        Id = r.Id,
        GatewayId = r.GatewayId,
        CreatedAtUnixMs = r.CreatedAtUnixMs,
        Provider = r.Provider,
        Model = r.Model,
        ModelType = r.ModelType,
        Path = r.Path,
        RequestType = r.RequestType,
        Success = r.Success,
        Cached = r.Cached,
        StatusCode = r.StatusCode,
        Duration = r.Duration,
        TimeToFirstTokenMs = r.TimeToFirstTokenMs,
        TokensIn = r.TokensIn,
        TokensOut = r.TokensOut,
        TokensEstimated = r.TokensEstimated,
        Cost = r.Cost,
        CustomCost = r.CustomCost,
        Metadata = r.Metadata,
        Step = r.Step,
        EventId = r.EventId,
        RequestContentType = r.RequestContentType,
        ResponseContentType = r.ResponseContentType,
        RequestSize = r.RequestSize,
        ResponseSize = r.ResponseSize,
        BodiesKept = r.BodiesKept,
        Feedback = r.Feedback,
        Score = r.Score,
        Authentication = r.Authentication,
        UserAgent = r.UserAgent,
        DlpAction = r.DlpAction,
        TeamId = r.TeamId,
        TeamName = r.TeamName,
        SessionId = r.SessionId,
        GuardrailFlags = r.GuardrailFlags,
    };
}
