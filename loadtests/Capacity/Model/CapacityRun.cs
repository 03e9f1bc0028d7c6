namespace Capacity.Model;

/// <summary>One capacity run: where and what was measured, and every step's figures. Saved as <c>capacity.json</c>.</summary>
internal sealed class CapacityRun
{
    /// <summary><c>quick</c> or <c>full</c>; a quick run's steps are too short to plan with.</summary>
    public required string Mode { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required MachineInfo Machine { get; init; }

    public required RunSettings Settings { get; init; }

    public List<TargetResult> Targets { get; init; } = [];

    /// <summary>The alternated rounds that compare the targets at the same moments (see <see cref="HeadToHeadStep"/>).</summary>
    public List<HeadToHeadStep> HeadToHead { get; init; } = [];

    public List<StreamScaleResult> Streams { get; init; } = [];

    /// <summary>How many streams each process can hold before a limit (descriptors, ports) stops it.</summary>
    public List<Ceiling> Ceilings { get; init; } = [];

    /// <summary>Things the run itself noticed (a target skipped, a step that timed out).</summary>
    public List<string> Notes { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsQuick => Mode == "quick";
}
