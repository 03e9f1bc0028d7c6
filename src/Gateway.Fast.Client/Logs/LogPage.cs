namespace Gateway.Fast.Client.Logs;

/// <summary>One page of log rows and where it sits in the whole list.</summary>
public sealed record LogPage(IReadOnlyList<GatewayLog> Rows, int Page, int PerPage, int TotalCount);
