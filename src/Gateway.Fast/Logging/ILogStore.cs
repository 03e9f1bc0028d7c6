namespace Gateway.Fast.Logging;

/// <summary>Where request logs live (FasterLog + a FASTER KV index by id locally; other stores later).</summary>
/// <remarks>
/// The hot path only calls <see cref="AppendAsync"/>: it hands the entry to a bounded queue and completes at once unless
/// the queue is full, when it waits for room (back-pressure: a record is never dropped). Everything else is the logs
/// API's cold path.
/// </remarks>
public interface ILogStore
{
    /// <summary>Queues an encoded row for the background writer; completes synchronously while the queue has room.</summary>
    /// <remarks>Takes ownership of <paramref name="row"/>'s pooled array, whatever the outcome.</remarks>
    ValueTask AppendAsync(LogRowBuffer row, CancellationToken cancellationToken);

    /// <summary>The row with this id, if it exists and was not deleted.</summary>
    bool TryGet(string id, out LogRecord record);

    /// <summary>A snapshot of one gateway's rows, newest first (the API filters, orders and pages it).</summary>
    IEnumerable<LogRecord> Scan(string gatewayId);

    /// <summary>A snapshot of one gateway's rows with <c>start ≤ created_at &lt; end</c> (a null bound is open), newest first.</summary>
    /// <remarks>Analytics asks for its range here, so a store can skip the rows outside it before decoding them.</remarks>
    IEnumerable<LogRecord> Scan(string gatewayId, long? startUnixMs, long? endUnixMs)
        => Scan(gatewayId).Where(r => r.CreatedAtUnixMs >= (startUnixMs ?? long.MinValue) && r.CreatedAtUnixMs < (endUnixMs ?? long.MaxValue));

    /// <summary>Analytics over the rows of <paramref name="gatewayIds"/> from sums the store keeps, without reading every
    /// row; false when it keeps none that answer <paramref name="query"/> (the caller aggregates a scan instead).</summary>
    bool TryAggregate(IReadOnlyList<string> gatewayIds, LogQueries.LogAnalyticsQuery query, out List<LogQueries.LogAnalyticsGroup> groups)
    {
        groups = [];
        return false;
    }

    /// <summary>Applies <paramref name="change"/> to a row (feedback, score, metadata); null when it does not exist.</summary>
    ValueTask<LogRecord?> UpdateAsync(string id, Func<LogRecord, LogRecord> change);

    /// <summary>Deletes rows and their bodies; returns how many existed.</summary>
    ValueTask<int> DeleteAsync(IReadOnlyCollection<string> ids);

    /// <summary>A kept body, or null when the row has none (not kept, or deleted).</summary>
    ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(string id, LogBodyKind kind, CancellationToken cancellationToken);

    /// <summary>Waits until every entry appended so far is durable (SIGTERM, tests).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
