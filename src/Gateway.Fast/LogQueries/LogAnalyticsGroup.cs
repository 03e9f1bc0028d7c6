namespace Gateway.Fast.LogQueries;

/// <summary>One analytics group: its key values, its bucket and the sums over its rows.</summary>
/// <param name="Keys">The group's value for each requested <see cref="LogGroupKey"/>, in request order (booleans and status codes as text).</param>
/// <param name="BucketStartUnixMs">Start of the time bucket; null when the query has no bucket.</param>
/// <param name="Requests">Rows in the group.</param>
/// <param name="Errors">Rows with success = false.</param>
/// <param name="CacheHits">Rows served from the cache.</param>
/// <param name="TokensIn">Sum of tokens_in (unknown counts as 0).</param>
/// <param name="TokensOut">Sum of tokens_out.</param>
/// <param name="Cost">Sum of cost, USD.</param>
/// <param name="LatencyP50">Median duration, ms.</param>
/// <param name="LatencyP95">95th percentile duration, ms.</param>
/// <param name="LatencyP99">99th percentile duration, ms.</param>
/// <param name="TimeToFirstTokenP50">Median time to first token over rows that have one, ms.</param>
/// <param name="TimeToFirstTokenP95">95th percentile time to first token, ms.</param>
public sealed record LogAnalyticsGroup(
    IReadOnlyList<KeyValuePair<LogGroupKey, string>> Keys,
    long? BucketStartUnixMs,
    long Requests,
    long Errors,
    long CacheHits,
    long TokensIn,
    long TokensOut,
    double Cost,
    double? LatencyP50,
    double? LatencyP95,
    double? LatencyP99,
    double? TimeToFirstTokenP50,
    double? TimeToFirstTokenP95)
{
    /// <summary>With <see cref="LogGroupKey.Team"/>: the team's latest name among the group's rows; null otherwise.</summary>
    public string? TeamName { get; init; }

    /// <summary>Sum of cost over the group's cache hits, USD: what those requests would have cost upstream.</summary>
    public double CacheSavedCost { get; init; }

    /// <summary>Rows answered 429: the gateway's rate limit or the provider's.</summary>
    public long RateLimited { get; init; }

    /// <summary>The sums the group was read from (histograms, exact costs), so groups of disjoint rows can be merged.</summary>
    public LogAnalyticsSums? Sums { get; init; }
}
