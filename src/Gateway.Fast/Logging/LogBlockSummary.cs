namespace Gateway.Fast.Logging;

/// <summary>What a gateway keeps in memory about one block of its rows (72 bytes for up to 256 rows).</summary>
/// <param name="FirstAddress">Log address of the block's first row, live or not: rows of this block are at or above it, below the next block's.</param>
/// <param name="FirstLiveAddress">Log address of its oldest live row; <see cref="long.MaxValue"/> when none.</param>
/// <param name="MinCreatedAtUnixMs">Smallest created_at of its live rows, so time filters and retention by age skip it.</param>
/// <param name="MaxCreatedAtUnixMs">Largest created_at of its live rows, so the newest-first list stops early.</param>
/// <param name="Live">Its live rows.</param>
internal readonly record struct LogBlockSummary(long FirstAddress, long FirstLiveAddress, long MinCreatedAtUnixMs, long MaxCreatedAtUnixMs, int Live)
{
    /// <summary>What the block's rows may hold, so a filtered list skips the block when none can match.</summary>
    public LogBlockFilter Filter { get; init; } = LogBlockFilter.None;

    public static LogBlockSummary Empty(long firstAddress) => new(firstAddress, long.MaxValue, long.MaxValue, long.MinValue, 0);

    /// <summary>This summary with one more live row (its filter unchanged: see <see cref="With(long, long, LogBlockFilter)"/>).</summary>
    public LogBlockSummary With(long address, long createdAtUnixMs) => new(
        FirstAddress,
        Math.Min(FirstLiveAddress, address),
        Math.Min(MinCreatedAtUnixMs, createdAtUnixMs),
        Math.Max(MaxCreatedAtUnixMs, createdAtUnixMs),
        Live + 1)
    {
        Filter = Filter,
    };

    /// <summary>This summary with one more live row whose columns are <paramref name="row"/>.</summary>
    public LogBlockSummary With(long address, long createdAtUnixMs, LogBlockFilter row) => With(address, createdAtUnixMs) with { Filter = Filter.Or(row) };
}
