namespace Gateway.Fast.LogQueries;

/// <summary>A parsed logs query (docs/gateway-api.md#logs-api): filters, search, order and paging.</summary>
public sealed record LogQuery
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    public IReadOnlyList<LogFilter> Filters { get; init; } = [];

    /// <summary>Case-insensitive substring over id, provider, model, path, metadata and event_id; null for none.</summary>
    public string? Search { get; init; }

    public LogOrderKey OrderBy { get; init; } = LogOrderKey.CreatedAt;

    public bool Descending { get; init; } = true;

    /// <summary>1-based.</summary>
    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = DefaultPerPage;

    /// <summary>Fill <c>result_info</c>'s min/max of cost, duration and tokens.</summary>
    public bool MetaInfo { get; init; }

    /// <summary>DELETE only: at most this many rows (in <see cref="OrderBy"/> order); null for all matches.</summary>
    public int? Limit { get; init; }
}
