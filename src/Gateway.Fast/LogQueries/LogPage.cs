using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>One page of a logs list: its rows and the numbers for <c>result_info</c>.</summary>
public sealed record LogPage(IReadOnlyList<LogRecord> Rows, int Page, int PerPage, int TotalCount, LogStats? Stats);
