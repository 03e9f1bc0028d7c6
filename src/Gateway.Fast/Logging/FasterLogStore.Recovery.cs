namespace Gateway.Fast.Logging;

/// <summary>Start-up: replay the committed log into the index and the gateways' lists.</summary>
public sealed partial class FasterLogStore
{
    private void Replay()
    {
        var ids = new List<string>();

        // Only up to the last commit: bytes past it may be a torn write from a kill -9, and the next enqueue overwrites them.
        using var iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress, recover: false);
        while (iterator.GetNext(out byte[] entry, out var length, out var address, out _))
        {
            if (!LogRecordCodec.TryOpen(entry.AsSpan(0, length), out var kind, out var body))
            {
                _corrupt++;
                continue;
            }

            switch (kind)
            {
                case LogRecordKind.Row when LogRecordCodec.TryReadRow(body, out var row, out _, out _):
                    ApplyRow(address, row!);
                    break;
                case LogRecordKind.Update when LogRecordCodec.TryReadUpdate(body, out var update):
                    ApplyUpdate(address, update!);
                    break;
                case LogRecordKind.Delete when LogRecordCodec.TryReadDelete(body, ids):
                    foreach (var id in ids)
                    {
                        ApplyDelete(id);
                    }

                    ids.Clear();
                    break;
                default:
                    ids.Clear();
                    _corrupt++;
                    break;
            }
        }
    }

    /// <summary>Makes a committed row readable (replacing an older row with the same id, which only an import could produce).</summary>
    private void ApplyRow(long address, LogRecord record)
    {
        ApplyDelete(record.Id);
        var rows = GetOrAddGateway(record.GatewayId);
        rows.Set(address, record);
        IndexUpsert(record.Id, new RowPointer(address, address, rows.Index));
    }

    /// <summary>Makes a committed new version readable; its bodies stay at the original row.</summary>
    private void ApplyUpdate(long address, LogRecord record)
    {
        if (TryFind(_writerSession, record.Id, out var pointer, out var rows, out var current))
        {
            rows.Set(pointer.BodyAddress, record with { GatewayId = current.GatewayId });
            IndexUpsert(record.Id, pointer with { RowAddress = address });
        }
    }

    /// <summary>Removes a row from its list and the index; false when it was not there.</summary>
    private bool ApplyDelete(string id)
    {
        if (!TryFind(_writerSession, id, out var pointer, out var rows, out _))
        {
            return false;
        }

        rows.Remove(pointer.BodyAddress);
        IndexDelete(id);
        return true;
    }
}
