namespace Gateway.Fast.Simulator;

/// <summary>Counters shared by the request handler and <see cref="SimulatorHost"/>.</summary>
internal sealed class SimulatorStats
{
    private long _requests;

    public long RequestCount => Volatile.Read(ref _requests);

    public void CountRequest() => Interlocked.Increment(ref _requests);
}
