namespace Gateway.Fast.Logging;

/// <summary>The sums of the rows of one <see cref="LogRollupKey"/> in one period: what analytics adds up, and the
/// latency and time-to-first-token counts per <see cref="LogLatencyHistogram"/> bucket.</summary>
/// <remarks>Every sum can be taken back exactly when a row is deleted or replaced (counts are integers and cost is a
/// <see cref="decimal"/>, whose sums do not depend on their order), which is what lets these cells follow the rows.</remarks>
public sealed class LogRollupCell
{
    public long Requests { get; private set; }

    public long TokensIn { get; private set; }

    public long TokensOut { get; private set; }

    public decimal Cost { get; private set; }

    /// <summary>The newest created_at among the cell's rows (what picks a team's newest name); <see cref="long.MinValue"/>
    /// when unknown or empty.</summary>
    public long NewestUnixMs { get; set; } = long.MinValue;

    /// <summary>Rows per duration bucket.</summary>
    public Dictionary<int, long> Durations { get; } = [];

    /// <summary>Rows per time-to-first-token bucket (rows without one are not counted).</summary>
    public Dictionary<int, long> TimesToFirstToken { get; } = [];

    /// <summary>A row's cost as analytics sums it: a decimal, so a sum is the same in any order (a value no decimal can
    /// hold, which no price produces, counts as 0).</summary>
    public static decimal Money(double? cost)
        => cost is { } c && double.IsFinite(c) && Math.Abs(c) < 1e20 ? (decimal)c : 0m;

    /// <summary>Adds a row (<paramref name="sign"/> 1) or takes it back (-1).</summary>
    public void Add(in LogRowSums row, int sign)
    {
        Requests += sign;
        TokensIn += sign * (long)(row.TokensIn ?? 0);
        TokensOut += sign * (long)(row.TokensOut ?? 0);
        Cost += sign * Money(row.Cost);
        Count(Durations, LogLatencyHistogram.IndexOf(row.Duration), sign);
        if (row.TimeToFirstTokenMs is { } ttft)
        {
            Count(TimesToFirstToken, LogLatencyHistogram.IndexOf(ttft), sign);
        }

        // A cell whose newest row was deleted does not know its newest until the rollup recomputes it: a row added
        // meanwhile must not pass for the newest.
        if (sign > 0 && (Requests == 1 || NewestUnixMs != long.MinValue))
        {
            NewestUnixMs = Math.Max(NewestUnixMs, row.CreatedAtUnixMs);
        }
    }

    /// <summary>Sets the sums read back from the store.</summary>
    internal void Set(long requests, long tokensIn, long tokensOut, decimal cost, long newestUnixMs)
    {
        Requests = requests;
        TokensIn = tokensIn;
        TokensOut = tokensOut;
        Cost = cost;
        NewestUnixMs = newestUnixMs;
    }

    private static void Count(Dictionary<int, long> counts, int bucket, int sign)
    {
        var count = counts.GetValueOrDefault(bucket) + sign;
        if (count == 0)
        {
            counts.Remove(bucket);
        }
        else
        {
            counts[bucket] = count;
        }
    }
}
