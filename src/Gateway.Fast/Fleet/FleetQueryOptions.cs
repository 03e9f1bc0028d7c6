namespace Gateway.Fast.Fleet;

/// <summary>How the logs API and analytics fan out to the other replicas in fleet mode, bound from <c>Gateway:Redis</c>
/// (<c>Gateway__Redis__QueryDeadlineMs</c>, <c>Gateway__Redis__QueryMaxRows</c>).</summary>
public sealed class FleetQueryOptions
{
    /// <summary>How long a query waits for the other replicas; one that has not answered by then is named in the response
    /// (<see cref="FleetPeers.MissingHeader"/> and the envelope's <c>messages</c>) and its rows are left out.</summary>
    public int QueryDeadlineMs { get; set; } = 3000;

    /// <summary>The deepest row a fleet-wide list reaches: page p of size n needs each replica's first p × n rows, so
    /// <c>page * per_page</c> above this is refused (400) rather than shipping that many rows from every replica.</summary>
    public int QueryMaxRows { get; set; } = 10_000;

    public TimeSpan QueryDeadline => TimeSpan.FromMilliseconds(Math.Max(1, QueryDeadlineMs));
}
