namespace Gateway.Fast.LogQueries;

/// <summary>One filter: the row matches when <see cref="Key"/> compared by <see cref="Operator"/> holds for any of <see cref="Values"/> (values OR, filters AND).</summary>
public sealed record LogFilter(LogFilterKey Key, LogFilterOperator Operator, IReadOnlyList<LogFilterValue> Values)
{
    public LogFilter(LogFilterKey key, LogFilterOperator op, params LogFilterValue[] values)
        : this(key, op, (IReadOnlyList<LogFilterValue>)values)
    {
    }
}
