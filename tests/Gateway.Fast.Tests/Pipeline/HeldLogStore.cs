using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;

namespace Gateway.Fast.Tests.Pipeline;

/// <summary>
/// The gateway's log store with a gate before it: appends wait until <see cref="Open"/>, so a test can hold a row
/// between its request's end and the log's queue; every other call goes straight through.
/// </summary>
internal sealed class HeldLogStore(ILogStore inner) : ILogStore
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first row reaches the gate.</summary>
    public Task Arrived => _arrived.Task;

    public void Open() => _open.TrySetResult();

    public async ValueTask AppendAsync(LogRowBuffer row, CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        await _open.Task.ConfigureAwait(false);
        await inner.AppendAsync(row, cancellationToken).ConfigureAwait(false);
    }

    public bool TryGet(string id, out LogRecord record) => inner.TryGet(id, out record);

    public IEnumerable<LogRecord> Scan(string gatewayId) => inner.Scan(gatewayId);

    public IEnumerable<LogRecord> Scan(string gatewayId, long? startUnixMs, long? endUnixMs) => inner.Scan(gatewayId, startUnixMs, endUnixMs);

    public bool TryAggregate(IReadOnlyList<string> gatewayIds, LogAnalyticsQuery query, out List<LogAnalyticsGroup> groups)
        => inner.TryAggregate(gatewayIds, query, out groups);

    public ValueTask<LogRecord?> UpdateAsync(string id, Func<LogRecord, LogRecord> change) => inner.UpdateAsync(id, change);

    public ValueTask<int> DeleteAsync(IReadOnlyCollection<string> ids) => inner.DeleteAsync(ids);

    public ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(string id, LogBodyKind kind, CancellationToken cancellationToken)
        => inner.ReadBodyAsync(id, kind, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
