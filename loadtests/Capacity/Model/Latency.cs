namespace Capacity.Model;

/// <summary>Nearest-rank percentiles of one step's successful requests, in milliseconds; null when none succeeded.</summary>
internal sealed class Latency
{
    public double? P50 { get; init; }

    public double? P90 { get; init; }

    public double? P99 { get; init; }

    public double? P999 { get; init; }

    public double? Max { get; init; }
}
