using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Logging;

/// <summary>Analytics answered from the sums the writer keeps (<see cref="LogRollup"/>) instead of a scan of the rows.</summary>
public sealed partial class FasterLogStore
{
    /// <inheritdoc />
    public bool TryAggregate(IReadOnlyList<string> gatewayIds, LogAnalyticsQuery query, out List<LogAnalyticsGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(gatewayIds);
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<GatewayRows>(gatewayIds.Count);
        foreach (var id in gatewayIds)
        {
            if (_gateways.TryGetValue(id, out var found))
            {
                rows.Add(found);
            }
        }

        return LogRollupAnalytics.TryAggregate(rows, _rollup, query, out groups);
    }

    /// <summary>A gateway's rows by index (the rollup looks up a team's newest name in them).</summary>
    private GatewayRows? RowsAt(int index)
    {
        var table = Volatile.Read(ref _gatewaysByIndex);
        return (uint)index < (uint)table.Length ? table[index] : null;
    }
}
