namespace Gateway.Fast.Logging;

/// <summary>Cold-path conveniences over <see cref="ILogStore"/>.</summary>
public static class LogStoreExtensions
{
    /// <summary>Encodes a record, its bodies (kept only when <see cref="LogRecord.BodiesKept"/>) and its response headers, and
    /// queues it (tests, imports).</summary>
    public static ValueTask AppendAsync(this ILogStore store, LogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(entry.Record);
        var fields = LogRowFields.From(entry.Record);
        var kept = entry.Record.BodiesKept;
        return store.AppendAsync(
            LogRecordCodec.EncodeRow(in fields, kept ? entry.RequestBody.Span : default, kept ? entry.ResponseBody.Span : default,
                entry.ResponseHeaders.Span),
            cancellationToken);
    }
}
