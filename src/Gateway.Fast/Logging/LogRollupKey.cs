namespace Gateway.Fast.Logging;

/// <summary>The columns analytics can group by that a row's aggregate cell is kept under (everything but metadata):
/// rows of one gateway and one period with the same key add up in one <see cref="LogRollupCell"/>.</summary>
/// <remarks>Errors, cache hits and rate-limited requests need no sums of their own: success, cached and the status are
/// part of the key. The team's name is too, so that the name a team group reports can be its newest.</remarks>
public readonly record struct LogRollupKey(
    string Provider,
    string Model,
    string ModelType,
    string RequestType,
    int StatusCode,
    bool Success,
    bool Cached,
    string? TeamId,
    string? TeamName)
{
    public static LogRollupKey Of(LogRecord row) => new(
        row.Provider, row.Model, row.ModelType, row.RequestType, row.StatusCode, row.Success, row.Cached, row.TeamId, row.TeamName);

    public static LogRollupKey Of(in LogRowSums row) => new(
        row.Provider, row.Model, row.ModelType, row.RequestType, row.StatusCode, row.Success, row.Cached, row.TeamId, row.TeamName);
}
