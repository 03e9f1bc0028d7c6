namespace Gateway.Fast.Client.Analytics;

/// <summary>The totals of one group and time bucket; the group's keys are set for the dimensions grouped by.</summary>
public sealed record AnalyticsGroup
{
    public string? Provider { get; init; }

    public string? Model { get; init; }

    public string? ModelType { get; init; }

    public string? RequestType { get; init; }

    public int? StatusCode { get; init; }

    public bool? Success { get; init; }

    public bool? Cached { get; init; }

    public string? Team { get; init; }

    public string? TeamName { get; init; }

    /// <summary>The bucket's start, when the query asked for buckets.</summary>
    public DateTimeOffset? Bucket { get; init; }

    public long Requests { get; init; }

    public long Errors { get; init; }

    public long CacheHits { get; init; }

    public long TokensIn { get; init; }

    public long TokensOut { get; init; }

    /// <summary>USD.</summary>
    public double Cost { get; init; }

    public Percentiles? LatencyMs { get; init; }

    public Percentiles? TimeToFirstTokenMs { get; init; }
}

/// <summary>Latency percentiles in milliseconds; null where the group had no sample.</summary>
public sealed record Percentiles(double? P50, double? P95, double? P99);
