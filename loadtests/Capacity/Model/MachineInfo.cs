namespace Capacity.Model;

/// <summary>The machine and software a run was measured on.</summary>
internal sealed class MachineInfo
{
    public required int Cores { get; init; }

    public required string CpuModel { get; init; }

    public required double MemoryGib { get; init; }

    public required string Os { get; init; }

    public required string Dotnet { get; init; }

    /// <summary>The one-minute load average when the run began (<c>/proc/loadavg</c>): above the core count, other work
    /// was competing for the CPUs and every figure is lower than the machine can do.</summary>
    public double? LoadAverage { get; init; }

    /// <summary>The measured commit (with <c>-dirty</c> when the tree had changes), as the script read it.</summary>
    public required string Commit { get; init; }
}
