namespace Gateway.Fast.Client.Logs;

/// <summary>A page of the logs list (docs/gateway-api.md#logs-api): paging, order, search and filters.</summary>
public sealed record LogQuery
{
    public int? Page { get; init; }

    /// <summary>At most 100 (default 20).</summary>
    public int? PerPage { get; init; }

    /// <summary>A case-insensitive substring of the id, provider, model, path, metadata or event id.</summary>
    public string? Search { get; init; }

    /// <summary><c>created_at</c> (default), <c>provider</c>, <c>model</c>, <c>model_type</c>, <c>success</c> or <c>cached</c>.</summary>
    public string? OrderBy { get; init; }

    /// <summary><c>asc</c> or <c>desc</c> (default).</summary>
    public string? OrderByDirection { get; init; }

    /// <summary>Rows created at or after this time.</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>Rows created at or before this time.</summary>
    public DateTimeOffset? EndDate { get; init; }

    public bool? Success { get; init; }

    public bool? Cached { get; init; }

    public IReadOnlyList<LogFilter> Filters { get; init; } = [];
}
