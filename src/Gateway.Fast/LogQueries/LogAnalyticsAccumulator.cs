using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>The sums of one analytics group, added up from rows (a scan) or from the store's kept cells (<see cref="LogRollupCell"/>):
/// both add the same integers, decimal costs and bucket counts, so both answer the same numbers.</summary>
internal sealed class LogAnalyticsAccumulator(KeyValuePair<LogGroupKey, string>[] keys, long? bucket, bool byTeam)
{
    private readonly Dictionary<int, long> _durations = [];
    private readonly Dictionary<int, long> _ttft = [];
    private long _teamNameAt = long.MinValue;
    private string? _teamName;
    private long _requests;
    private long _errors;
    private long _cacheHits;
    private long _tokensIn;
    private long _tokensOut;
    private decimal _cost;
    private decimal _cacheSavedCost;
    private long _rateLimited;
    private long _ttftCount;

    public KeyValuePair<LogGroupKey, string>[] Keys { get; } = keys;

    public long? Bucket { get; } = bucket;

    public void Add(LogRecord row)
    {
        Count(row.Success, row.Cached, row.StatusCode, 1);
        _tokensIn += row.TokensIn ?? 0;
        _tokensOut += row.TokensOut ?? 0;
        var cost = LogRollupCell.Money(row.Cost);
        _cost += cost;

        // A cache hit is priced as the answer it replays (RequestLogRow), so its cost is what the cache saved.
        _cacheSavedCost += row.Cached ? cost : 0;
        Bump(_durations, LogLatencyHistogram.IndexOf(row.Duration), 1);
        if (row.TimeToFirstTokenMs is { } ttft)
        {
            Bump(_ttft, LogLatencyHistogram.IndexOf(ttft), 1);
            _ttftCount++;
        }

        NameTeam(row.TeamName, row.CreatedAtUnixMs);
    }

    public void Add(in LogRollupKey key, LogRollupCell cell)
    {
        Count(key.Success, key.Cached, key.StatusCode, cell.Requests);
        _tokensIn += cell.TokensIn;
        _tokensOut += cell.TokensOut;
        _cost += cell.Cost;
        _cacheSavedCost += key.Cached ? cell.Cost : 0;
        foreach (var (index, count) in cell.Durations)
        {
            Bump(_durations, index, count);
        }

        foreach (var (index, count) in cell.TimesToFirstToken)
        {
            Bump(_ttft, index, count);
            _ttftCount += count;
        }

        NameTeam(key.TeamName, cell.NewestUnixMs);
    }

    public LogAnalyticsGroup ToGroup()
    {
        var durations = Dense(_durations);
        var ttft = Dense(_ttft);
        return new LogAnalyticsGroup(
            Keys, Bucket, _requests, _errors, _cacheHits, _tokensIn, _tokensOut, (double)_cost,
            LogLatencyHistogram.Percentile(durations, _requests, 50),
            LogLatencyHistogram.Percentile(durations, _requests, 95),
            LogLatencyHistogram.Percentile(durations, _requests, 99),
            LogLatencyHistogram.Percentile(ttft, _ttftCount, 50),
            LogLatencyHistogram.Percentile(ttft, _ttftCount, 95))
        {
            TeamName = byTeam ? _teamName : null,
            CacheSavedCost = (double)_cacheSavedCost,
            RateLimited = _rateLimited,
            Sums = new LogAnalyticsSums(
                Array.ConvertAll(Keys, static k => k.Value), Bucket, _requests, _errors, _cacheHits, _tokensIn, _tokensOut, _cost,
                _cacheSavedCost, _rateLimited, _ttftCount, _durations, _ttft, _teamName, _teamNameAt),
        };
    }

    /// <summary>Adds another set of rows' sums for the same group (another replica's share of it).</summary>
    public void Add(LogAnalyticsSums sums)
    {
        _requests += sums.Requests;
        _errors += sums.Errors;
        _cacheHits += sums.CacheHits;
        _rateLimited += sums.RateLimited;
        _tokensIn += sums.TokensIn;
        _tokensOut += sums.TokensOut;
        _cost += sums.Cost;
        _cacheSavedCost += sums.CacheSavedCost;
        _ttftCount += sums.TimesToFirstTokenCount;
        foreach (var (index, count) in sums.Durations)
        {
            Bump(_durations, index, count);
        }

        foreach (var (index, count) in sums.TimesToFirstToken)
        {
            Bump(_ttft, index, count);
        }

        NameTeam(sums.TeamName, sums.TeamNameAtUnixMs);
    }

    private void Count(bool success, bool cached, int statusCode, long requests)
    {
        _requests += requests;
        _errors += success ? 0 : requests;
        _cacheHits += cached ? requests : 0;
        _rateLimited += statusCode == 429 ? requests : 0;
    }

    /// <summary>A team renamed within the range is reported by its newest name (the id is the group, the name a label);
    /// two names at the same millisecond: the ordinally larger, so the answer does not depend on the reading order.</summary>
    private void NameTeam(string? name, long createdAtUnixMs)
    {
        if (byTeam && name is not null
            && (createdAtUnixMs > _teamNameAt || (createdAtUnixMs == _teamNameAt && string.CompareOrdinal(name, _teamName) > 0)))
        {
            _teamNameAt = createdAtUnixMs;
            _teamName = name;
        }
    }

    private static void Bump(Dictionary<int, long> counts, int index, long count)
        => counts[index] = counts.GetValueOrDefault(index) + count;

    private static long[] Dense(Dictionary<int, long> counts)
    {
        var dense = new long[LogLatencyHistogram.BucketCount];
        foreach (var (index, count) in counts)
        {
            dense[index] += count;
        }

        return dense;
    }
}
