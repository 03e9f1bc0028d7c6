namespace Gateway.Fast.Management;

/// <summary>The <c>result_info</c> of a paged v4 list (spec §6.1).</summary>
public readonly record struct V4ResultInfo(int Page, int PerPage, int Count, int TotalCount);
