namespace Gateway.Fast.Logging;

/// <summary>What one entry of the request log holds; replaying them in order rebuilds the store.</summary>
internal enum LogRecordKind : byte
{
    /// <summary>A new row and its bodies.</summary>
    Row = 1,

    /// <summary>A new version of an existing row (PATCH); its bodies stay with the original row entry.</summary>
    Update = 2,

    /// <summary>A tombstone: the listed ids are deleted (written by earlier versions; still replayed).</summary>
    Delete = 3,

    /// <summary>A tombstone: the listed ids are deleted, each with the log address of its row, so replay skips the ids
    /// whose rows were truncated without looking them up.</summary>
    DeleteAt = 4,
}
