namespace Gateway.Fast.Client.Logs;

/// <summary>One filter of the logs API: <c>{key, operator, value[]}</c>; values of a filter are ORed, filters are ANDed.</summary>
/// <param name="Key">A row field (<c>provider</c>, <c>model</c>, <c>success</c>, <c>cost</c>, <c>tokens</c>, <c>metadata.key</c>…).</param>
/// <param name="Operator"><c>eq</c>, <c>neq</c>, <c>contains</c>, <c>lt</c> or <c>gt</c>.</param>
/// <param name="Values">The values compared with.</param>
public sealed record LogFilter(string Key, string Operator, params IReadOnlyList<string> Values)
{
    public static LogFilter Eq(string key, params IReadOnlyList<string> values) => new(key, "eq", values);
}
