namespace Gateway.Fast.Client.Analytics;

/// <summary>An analytics request (docs/gateway-api.md#analytics): rows with <c>Start ≤ created_at &lt; End</c>, grouped and bucketed.</summary>
public sealed record AnalyticsQuery
{
    public DateTimeOffset? Start { get; init; }

    public DateTimeOffset? End { get; init; }

    /// <summary>Any of <c>provider</c>, <c>model</c>, <c>model_type</c>, <c>request_type</c>, <c>status_code</c>, <c>success</c>, <c>cached</c>, <c>team</c>.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary><c>minute</c>, <c>hour</c> or <c>day</c>; null sums the whole range into one bucket.</summary>
    public string? Bucket { get; init; }
}
