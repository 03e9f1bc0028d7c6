using System.Collections.Concurrent;
using Gateway.Fast.Logging;

namespace Gateway.Fast.Tests.Management;

/// <summary>A test-only <see cref="ILogStore"/> in a dictionary, so the logs API can be tested before the FasterLog store lands.</summary>
public sealed class LogsMemoryStore : ILogStore
{
    private readonly ConcurrentDictionary<string, LogEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();

    public int Count => _entries.Count;

    public void Add(LogRecord record, string? request = null, string? response = null)
        => _entries[record.Id] = new LogEntry(
            record with { BodiesKept = request is not null || response is not null },
            request is null ? default : System.Text.Encoding.UTF8.GetBytes(request),
            response is null ? default : System.Text.Encoding.UTF8.GetBytes(response));

    public ValueTask AppendAsync(LogRowBuffer row, CancellationToken cancellationToken)
    {
        try
        {
            Assert.True(LogRecordCodec.TryOpen(row.Entry, out _, out var version, out var body));
            Assert.True(LogRecordCodec.TryReadRow(body, version, out var record, out var request, out var response, out var headers, out var blocks));
            var decoded = LogRecordCodec.ReadRecord(record, version)!;
            var responseBody = response.ToArray();
            if (!blocks.IsEmpty)
            {
                Assert.True(LogResponseBlocks.TryDecode(blocks, out responseBody));
            }

            _entries[decoded.Id] = new LogEntry(decoded, request.ToArray(), responseBody, headers.ToArray());
            return ValueTask.CompletedTask;
        }
        finally
        {
            row.Return();
        }
    }

    public bool TryGet(string id, out LogRecord record)
    {
        var found = _entries.TryGetValue(id, out var entry);
        record = entry.Record;
        return found;
    }

    public IEnumerable<LogRecord> Scan(string gatewayId)
        => _entries.Values.Select(e => e.Record).Where(r => r.GatewayId == gatewayId).OrderByDescending(r => r.CreatedAtUnixMs).ToList();

    public ValueTask<LogRecord?> UpdateAsync(string id, Func<LogRecord, LogRecord> change)
    {
        lock (_writeLock)
        {
            if (!_entries.TryGetValue(id, out var entry))
            {
                return ValueTask.FromResult<LogRecord?>(null);
            }

            var updated = change(entry.Record);
            _entries[id] = entry with { Record = updated };
            return ValueTask.FromResult<LogRecord?>(updated);
        }
    }

    public ValueTask<int> DeleteAsync(IReadOnlyCollection<string> ids)
        => ValueTask.FromResult(ids.Count(id => _entries.TryRemove(id, out _)));

    public ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(string id, LogBodyKind kind, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(id, out var entry) || (!entry.Record.BodiesKept && kind != LogBodyKind.ResponseHeaders))
        {
            return ValueTask.FromResult<ReadOnlyMemory<byte>?>(null);
        }

        var body = kind switch
        {
            LogBodyKind.Request => entry.RequestBody,
            LogBodyKind.Response => entry.ResponseBody,
            _ => entry.ResponseHeaders,
        };
        return ValueTask.FromResult(body.IsEmpty ? (ReadOnlyMemory<byte>?)null : body);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
