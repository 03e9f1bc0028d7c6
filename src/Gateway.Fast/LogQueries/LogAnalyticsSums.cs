namespace Gateway.Fast.LogQueries;

/// <summary>What one analytics group was added up from, before percentiles are read off it: exact decimal costs and the
/// latency histograms' bucket counts. Two sets of rows' sums add into the sums of their union, which the answer's
/// percentiles cannot; fleet mode merges the replicas' groups from these.</summary>
/// <param name="Keys">The group's key values, in the query's <c>group_by</c> order.</param>
/// <param name="Bucket">The start of its time bucket (unix ms); null without buckets.</param>
/// <param name="Requests">Rows in the group.</param>
/// <param name="Errors">Rows with success = false.</param>
/// <param name="CacheHits">Rows served from the cache.</param>
/// <param name="TokensIn">Sum of tokens_in.</param>
/// <param name="TokensOut">Sum of tokens_out.</param>
/// <param name="Cost">Sum of cost, USD, exact.</param>
/// <param name="CacheSavedCost">Sum of cost over the cache hits, USD, exact.</param>
/// <param name="RateLimited">Rows answered 429.</param>
/// <param name="TimesToFirstTokenCount">Rows with a time to first token.</param>
/// <param name="Durations">Duration histogram: <see cref="Logging.LogLatencyHistogram"/> bucket index → rows.</param>
/// <param name="TimesToFirstToken">Time-to-first-token histogram, over the rows that have one.</param>
/// <param name="TeamName">The team's newest name among the rows; null unless grouped by team.</param>
/// <param name="TeamNameAtUnixMs">When <paramref name="TeamName"/> was last seen (the newest name wins a merge).</param>
public sealed record LogAnalyticsSums(
    IReadOnlyList<string> Keys,
    long? Bucket,
    long Requests,
    long Errors,
    long CacheHits,
    long TokensIn,
    long TokensOut,
    decimal Cost,
    decimal CacheSavedCost,
    long RateLimited,
    long TimesToFirstTokenCount,
    Dictionary<int, long> Durations,
    Dictionary<int, long> TimesToFirstToken,
    string? TeamName,
    long TeamNameAtUnixMs);
