namespace Gateway.Fast.Tests.Logging;

/// <summary>Tests that measure the process's managed heap run alone, after the parallel ones: another test allocating
/// meanwhile would be counted as theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
    public const string Name = "heap measuring";
}
