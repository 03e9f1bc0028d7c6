namespace Capacity.Model;

/// <summary>Streams held at once against one target, level by level, with the target's memory.</summary>
internal sealed class StreamScaleResult
{
    public required string Target { get; init; }

    public required string Process { get; init; }

    public List<StreamLevel> Levels { get; init; } = [];
}
