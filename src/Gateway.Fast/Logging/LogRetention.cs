namespace Gateway.Fast.Logging;

/// <summary>A gateway's row cap: at most <see cref="MaxRows"/> rows, then refuse new ones or delete the oldest.</summary>
/// <param name="MaxRows">The cap (<c>log_management</c>, 10,000–10,000,000); null means unlimited.</param>
/// <param name="DeleteOldest">True for <c>DELETE_OLDEST</c>, false for <c>STOP_INSERTING</c>.</param>
public readonly record struct LogRetention(int? MaxRows, bool DeleteOldest)
{
    public static LogRetention Unlimited => default;
}
