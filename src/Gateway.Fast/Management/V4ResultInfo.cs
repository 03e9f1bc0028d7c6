namespace Gateway.Fast.Management;

/// <summary>The <c>result_info</c> of a paged v4 list (spec §6.1).</summary>
/// <remarks><paramref name="Extra"/> adds fields after <c>total_count</c>, e.g. the logs list's <c>min_cost</c>/<c>max_cost</c>… (spec §6.3).</remarks>
public readonly record struct V4ResultInfo(int Page, int PerPage, int Count, int TotalCount,
    IReadOnlyList<KeyValuePair<string, double?>>? Extra = null);
