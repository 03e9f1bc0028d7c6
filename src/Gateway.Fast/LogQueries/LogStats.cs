using Gateway.Fast.Logging;

namespace Gateway.Fast.LogQueries;

/// <summary>Min and max of one numeric column over the matching rows; both null when no row has a value.</summary>
public readonly record struct LogRange(double? Min, double? Max)
{
    public LogRange Add(double? value)
        => value is not { } v ? this : new(Min is { } min ? Math.Min(min, v) : v, Max is { } max ? Math.Max(max, v) : v);
}

/// <summary>The logs <c>result_info</c> extras (<c>min_cost</c> … <c>max_total_tokens</c>), over every matching row, not one page.</summary>
public readonly record struct LogStats(LogRange Cost, LogRange Duration, LogRange TokensIn, LogRange TokensOut, LogRange TotalTokens)
{
    public LogStats Add(LogRecord record) => new(
        Cost.Add(record.Cost),
        Duration.Add(record.Duration),
        TokensIn.Add(record.TokensIn),
        TokensOut.Add(record.TokensOut),
        TotalTokens.Add(LogFilterEvaluator.TotalTokens(record)));

    /// <summary>Pairs in wire order: <c>("cost", range)</c>, <c>("duration", …)</c>, <c>("tokens_in", …)</c>, <c>("tokens_out", …)</c>, <c>("total_tokens", …)</c>.</summary>
    public IEnumerable<(string Name, LogRange Range)> Columns()
    {
        yield return ("cost", Cost);
        yield return ("duration", Duration);
        yield return ("tokens_in", TokensIn);
        yield return ("tokens_out", TokensOut);
        yield return ("total_tokens", TotalTokens);
    }
}
