namespace Gateway.Fast.Logging;

/// <summary>The log folder's size on disk against its budget, and the rows it holds, as <c>/health</c> and the metrics show them.</summary>
/// <param name="UsedBytes">Bytes of every file under the log folder (segments, commits, index).</param>
/// <param name="BudgetBytes"><see cref="FasterLogStoreOptions.MaxDiskBytes"/>; null when the folder has no budget.</param>
/// <param name="Rows">Live rows of every gateway.</param>
/// <param name="WarningRatio">Share of the budget from which <see cref="Warning"/> is true.</param>
public readonly record struct LogStorageStatus(long UsedBytes, long? BudgetBytes, long Rows, double WarningRatio)
{
    /// <summary>The size from which the folder is reported as nearly full; null without a budget.</summary>
    public long? WarningBytes => BudgetBytes is long budget ? (long)(budget * WarningRatio) : null;

    /// <summary>The folder has reached <see cref="WarningBytes"/>: retention is about to delete (or is deleting) the oldest rows.</summary>
    public bool Warning => WarningBytes is long threshold && UsedBytes >= threshold;

    /// <summary>Retention could not bring the folder under its budget (the budget is smaller than the segment being written and the index).</summary>
    public bool OverBudget => BudgetBytes is long budget && UsedBytes > budget;
}
