namespace Gateway.Fast.Management;

/// <summary>The <c>result_info</c> of a paged v4 list (docs/gateway-api.md#envelope-and-authentication).</summary>
/// <remarks><paramref name="Extra"/> adds fields after <c>total_count</c>, e.g. the logs list's <c>min_cost</c>/<c>max_cost</c>… (docs/gateway-api.md#logs-api).</remarks>
public readonly record struct V4ResultInfo(int Page, int PerPage, int Count, int TotalCount,
    IReadOnlyList<KeyValuePair<string, double?>>? Extra = null);
