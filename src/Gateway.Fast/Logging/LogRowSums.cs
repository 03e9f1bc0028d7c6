namespace Gateway.Fast.Logging;

/// <summary>
/// The columns of a row that the writer's analytics sums (<see cref="LogRollup"/>) and block filters
/// (<see cref="LogBlockFilter"/>) read, decoded from a committed record into a struct (<see cref="LogRecordCodec.TryReadSums"/>).
/// </summary>
/// <remarks>The writer reads every committed row for these; a <see cref="LogRecord"/> per row (about 250 B with its
/// nullable fields) lived only until the next commit. The strings are the writer's cached ones (provider, model, path…
/// repeat across rows); only a row's metadata, which few rows carry, is decoded into a new string.</remarks>
public readonly record struct LogRowSums
{
    public string Provider { get; init; }

    public string Model { get; init; }

    public string ModelType { get; init; }

    public string RequestType { get; init; }

    public long CreatedAtUnixMs { get; init; }

    public bool Success { get; init; }

    public bool Cached { get; init; }

    public int StatusCode { get; init; }

    public int Duration { get; init; }

    public int? TimeToFirstTokenMs { get; init; }

    public int? TokensIn { get; init; }

    public int? TokensOut { get; init; }

    public double? Cost { get; init; }

    public string? Metadata { get; init; }

    public string? TeamId { get; init; }

    public string? TeamName { get; init; }

    /// <summary>The same columns of a decoded row.</summary>
    public static LogRowSums Of(LogRecord row) => new()
    {
        Provider = row.Provider,
        Model = row.Model,
        ModelType = row.ModelType,
        RequestType = row.RequestType,
        CreatedAtUnixMs = row.CreatedAtUnixMs,
        Success = row.Success,
        Cached = row.Cached,
        StatusCode = row.StatusCode,
        Duration = row.Duration,
        TimeToFirstTokenMs = row.TimeToFirstTokenMs,
        TokensIn = row.TokensIn,
        TokensOut = row.TokensOut,
        Cost = row.Cost,
        Metadata = row.Metadata,
        TeamId = row.TeamId,
        TeamName = row.TeamName,
    };
}
